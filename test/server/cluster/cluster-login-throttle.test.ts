/**
 * REQ-10.11, REQ-10.12: the login throttle of REQ-10.8 counts failures cluster-wide, in the
 * cluster's Redis, so guesses spread over two nodes get the budget of one; and while Redis is away
 * every login is refused with INTERNAL_ERROR, whatever the name and password. Two in-process nodes
 * on a real redis-server and real TCP, loopback not exempt (in-process-nodes.ts).
 *
 * The limits make the throttle's verdict visible without measuring time: one free failure, then
 * turns spaced by the whole maxDelayMs, so of two attempts that arrive together after a failure the
 * second's turn is beyond maxDelayMs and it is refused unchecked: BAD_CREDENTIALS for a right
 * password. A node that had not seen the failure would check both.
 */
import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import {
  THROTTLE_ACCOUNT_PREFIX,
  THROTTLE_ADDRESS_PREFIX,
} from "../../../server/cluster/redis-login-throttle.ts";
import type { ThrottleLimits } from "../../../server/login-throttle-state.ts";
import type { RunningParrotServer } from "../../../server/parrot-server.ts";
import { writeFastUsersFile } from "../../../tools/launch/test-accounts.ts";
import { firstLoginAnswered, peerOn, startRedis, stopClusterParts } from "./cluster-nodes.ts";
import { startInProcessNode } from "./in-process-nodes.ts";

afterEach(stopClusterParts);

const TURN_MS = 3_000;
const LIMITS: ThrottleLimits = {
  freeFailures: 1,
  baseDelayMs: TURN_MS,
  maxDelayMs: TURN_MS,
  forgetAfterMs: 60_000,
  maxTrackedKeys: 100,
};
const SHARED = { loginThrottle: { limits: LIMITS, shared: true } };

/** What two right-password logins for user1 that arrive on `node` together are answered. */
async function twoLoginsAtOnce(node: RunningParrotServer): Promise<string[]> {
  const peers = await Promise.all([peerOn(node), peerOn(node)]);
  const answers = await Promise.all(peers.map((peer) => peer.login("user1", "pass1")));
  return answers.map((answer) => answer.status).sort();
}

describe("cluster: the login throttle counts every node's failures (REQ-10.11)", () => {
  test("a failure on node A delays the next attempt on node B: of two right passwords sent to B together, the one whose turn is too far off is refused", async () => {
    const redis = await startRedis();
    const users = await writeFastUsersFile();
    const a = await startInProcessNode(redis, "A", users, SHARED);
    const b = await startInProcessNode(redis, "B", users, SHARED);

    const guesser = await peerOn(a);
    assert.equal((await guesser.login("user1", "guess")).status, "BAD_CREDENTIALS");
    assert.deepEqual(await twoLoginsAtOnce(b), ["BAD_CREDENTIALS", "OK"]);
  });

  test("the same two logins on a node that counts only its own failures are both checked (the control)", async () => {
    const redis = await startRedis();
    const users = await writeFastUsersFile();
    const own = { loginThrottle: { limits: LIMITS, shared: false } };
    const a = await startInProcessNode(redis, "A", users, own);
    const b = await startInProcessNode(redis, "B", users, own);

    const guesser = await peerOn(a);
    assert.equal((await guesser.login("user1", "guess")).status, "BAD_CREDENTIALS");
    assert.deepEqual(await twoLoginsAtOnce(b), ["ALREADY_LOGGED_IN", "OK"]);
  });

  test("an unknown name is counted like an account, under the same keys and expiry (REQ-5.2)", async () => {
    const redis = await startRedis();
    const store = redis.client();
    const users = await writeFastUsersFile();
    const a = await startInProcessNode(redis, "A", users, SHARED);

    const guesser = await peerOn(a);
    assert.equal((await guesser.login("user1", "guess")).status, "BAD_CREDENTIALS");
    assert.equal((await guesser.login("nobody", "guess")).status, "BAD_CREDENTIALS");
    for (const name of ["user1", "nobody"]) {
      const key = THROTTLE_ACCOUNT_PREFIX + name;
      assert.equal(await store.hget(key, "failures"), "1", key);
      const ttl = await store.pttl(key);
      assert.ok(ttl > 0 && ttl <= LIMITS.forgetAfterMs, `${key} expires: ${ttl}`);
    }
    assert.equal(await store.hget(`${THROTTLE_ADDRESS_PREFIX}127.0.0.1`, "failures"), "2");
  });
});

describe("cluster: the login throttle while Redis is away (REQ-10.12)", () => {
  test("every login is refused with INTERNAL_ERROR, a right password, a wrong one and an unknown name alike; logins work again once Redis is back", async () => {
    const redis = await startRedis();
    const users = await writeFastUsersFile();
    const a = await startInProcessNode(redis, "A", users, SHARED);

    await redis.stop();
    for (const [name, password] of [
      ["user1", "pass1"],
      ["user1", "guess"],
      ["nobody", "guess"],
    ] as const) {
      const refused = await peerOn(a);
      refused.send({ type: "LOGIN_REQUEST", version: refused.version, username: name, password });
      const error = await refused.expectError("INTERNAL_ERROR");
      assert.match(error.text, /cannot be reached; try again later/, `${name}/${password}`);
      await refused.expectClosed();
    }

    await redis.start();
    assert.equal(await firstLoginAnswered(a, "user1", "pass1"), "OK");
  });
});
