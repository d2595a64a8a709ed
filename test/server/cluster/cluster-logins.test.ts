/**
 * Issue 13, first step: two real `parrot server` processes joined by one real `redis-server` keep
 * one login per user across both (spec §13, REQ-13.1 to REQ-13.5). Every wait is bounded by a hang
 * guard and synchronised on what a client or Redis shows, never on a sleep.
 */
import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import { DEFAULT_LOGIN_KEY_PREFIX } from "../../../server/cluster/redis-login-registry.ts";
import { writeFastUsersFile } from "../../../tools/launch/test-accounts.ts";
import {
  eventually,
  firstLoginAnswered,
  peerOn,
  startNode,
  startRedis,
  stopClusterParts,
} from "./cluster-nodes.ts";

const KEY = `${DEFAULT_LOGIN_KEY_PREFIX}user1`;

afterEach(stopClusterParts);

describe("cluster: one login per user across nodes sharing one Redis", () => {
  test("user1 on node A: node B answers ALREADY_LOGGED_IN (REQ-13.1), A's session is untouched, a wrong password still gets BAD_CREDENTIALS", async () => {
    const redis = await startRedis();
    const users = await writeFastUsersFile();
    const [a, b] = await Promise.all([startNode(redis, "A", users), startNode(redis, "B", users)]);
    const onA = await peerOn(a);
    assert.equal((await onA.login("user1", "pass1")).status, "OK");
    const onB = await peerOn(b, [1, 2]);
    assert.equal((await onB.login("user1", "pass1")).status, "ALREADY_LOGGED_IN");
    assert.equal((await onB.login("user1", "wrong")).status, "BAD_CREDENTIALS", "REQ-5.4");
    assert.equal((await onA.chat(1, "still here")).text, "still here");
    assert.equal((await onB.login("user2", "pass2")).status, "OK", "other users are free");
    assert.match(a.stderr(), /"node":"A"/, "logs say which node a session is on");
  });

  const ends = ["logout", "EOF", "EOF amid a frame", "ping timeout", "shutdown"] as const;
  for (const end of ends) {
    test(`a login ended by ${end} on node A is free on node B once the EOF has come (REQ-13.2, REQ-9.1)`, async () => {
      const redis = await startRedis();
      const store = redis.client();
      const users = await writeFastUsersFile();
      const timers =
        end === "ping timeout" ? ["--ping-interval", "0.5", "--ping-timeout", "0.75"] : [];
      const [a, b] = await Promise.all([
        startNode(redis, "A", users, timers),
        startNode(redis, "B", users),
      ]);
      const onA = await peerOn(a);
      assert.equal((await onA.login("user1", "pass1")).status, "OK");
      const onB = await peerOn(b);
      assert.equal((await onB.login("user1", "pass1")).status, "ALREADY_LOGGED_IN");
      if (end === "logout") await onA.logout();
      // Each path waits for the node's EOF (closed() waits for it), and no longer.
      if (end === "EOF") {
        onA.endOutput();
        await onA.closed();
      }
      if (end === "EOF amid a frame") {
        onA.sendFrame(Uint8Array.of(0x50, 0x52, 0x01, 0x01, 0x00));
        onA.endOutput();
        await onA.closed();
      }
      if (end === "ping timeout") {
        await onA.expectError("PING_TIMEOUT");
        await onA.expectClosed();
      }
      if (end === "shutdown") {
        a.child.kill("SIGTERM");
        await onA.expectError("SERVER_SHUTDOWN");
        assert.equal(await a.exited, 0);
        assert.equal(await store.exists(KEY), 0, "released before the node exited");
      }
      assert.equal((await onB.login("user1", "pass1")).status, "OK");
    });
  }

  test("kill -9 of node A frees its logins within the lease (REQ-13.3)", async () => {
    const redis = await startRedis();
    const store = redis.client();
    const users = await writeFastUsersFile();
    const lease = ["--cluster-lease", "1.5"];
    const [a, b] = await Promise.all([
      startNode(redis, "A", users, lease),
      startNode(redis, "B", users, lease),
    ]);
    const onA = await peerOn(a);
    assert.equal((await onA.login("user1", "pass1")).status, "OK");
    const onB = await peerOn(b);
    assert.equal((await onB.login("user1", "pass1")).status, "ALREADY_LOGGED_IN");
    a.child.kill("SIGKILL");
    await a.exited;
    const left = await store.pttl(KEY);
    assert.ok(
      left === -2 || (left > 0 && left <= 1500),
      `the dead node's login expires within its lease (PTTL ${left})`,
    );
    assert.equal(await firstLoginAnswered(b, "user2", "pass2"), "OK");
  });

  test("Redis away: sessions keep their echo, new logins get INTERNAL_ERROR saying so, logins work again once it is back (REQ-13.4)", async () => {
    const redis = await startRedis();
    const store = redis.client();
    const users = await writeFastUsersFile();
    const [a, b] = await Promise.all([startNode(redis, "A", users), startNode(redis, "B", users)]);
    const onA = await peerOn(a);
    assert.equal((await onA.login("user1", "pass1")).status, "OK");

    await redis.stop();
    assert.equal((await onA.chat(1, "during the outage")).text, "during the outage");
    const refused = await peerOn(b);
    refused.send({
      type: "LOGIN_REQUEST",
      version: refused.version,
      username: "user2",
      password: "pass2",
    });
    const error = await refused.expectError("INTERNAL_ERROR");
    assert.match(error.text, /cannot be reached; try again later/);
    await refused.expectClosed();

    await redis.start();
    await eventually("node A re-takes user1's login after Redis lost it", async () => {
      try {
        return (await store.exists(KEY)) === 1;
      } catch {
        return false;
      }
    });
    let status = "";
    await eventually("node B accepts logins again", async () => {
      const peer = await peerOn(b);
      peer.send({
        type: "LOGIN_REQUEST",
        version: peer.version,
        username: "user2",
        password: "pass2",
      });
      const answer = await peer.next();
      if (answer.kind !== "pdu" || answer.pdu.type !== "LOGIN_RESPONSE") return false;
      status = answer.pdu.status;
      return true;
    });
    assert.equal(status, "OK");
    const again = await peerOn(b);
    assert.equal(
      (await again.login("user1", "pass1")).status,
      "ALREADY_LOGGED_IN",
      "still one login per user",
    );
    assert.equal((await onA.chat(2, "after the outage")).text, "after the outage");
    assert.equal(a.child.exitCode, null, "no node crashed");
    assert.match(b.stderr(), /reconnecting/, "the node logs the outage");
  });
});
