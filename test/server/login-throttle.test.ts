// REQ-10.8, issue 12 defect 5: failed logins are throttled per account name and per source
// address, across connections, the same for names that exist and names that do not.
// The unit part runs LoginThrottle on a fake clock whose sleeps are recorded; the end-to-end part
// runs a real server over loopback and checks that BAD_CREDENTIALS comes late, never early.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { silentLogger } from "../../server/logger.ts";
import { LoginThrottle, type LoginThrottleOptions } from "../../server/login-throttle.ts";
import { UserStore } from "../../server/user-store.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { writeFastUsersFile } from "../../tools/launch/test-accounts.ts";
import { RawPeer } from "./raw-peer.ts";

let store: UserStore;
before(async () => {
  store = await UserStore.open(await writeFastUsersFile(), { logger: silentLogger() });
});

/** A throttle on a clock that moves only when told; every sleep is recorded, not slept. */
function throttled(options: LoginThrottleOptions = {}) {
  const clock = { now: 0 };
  const waits: number[] = [];
  const throttle = new LoginThrottle(store, {
    baseDelayMs: 100,
    maxDelayMs: 5_000,
    ...options,
    now: () => clock.now,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  return { throttle, clock, waits };
}

const FROM = { remoteAddress: "198.51.100.7:40001" };
const SAME_HOST_OTHER_PORT = { remoteAddress: "198.51.100.7:40002" };
const ELSEWHERE = { remoteAddress: "203.0.113.9:40003" };

describe("LoginThrottle", () => {
  test("3 failures are free; then attempts on the account wait in turn, spaced exponentially", async () => {
    const { throttle, waits } = throttled();
    for (let i = 0; i < 3; i++)
      assert.equal(await throttle.verify("user1", "guess", ELSEWHERE), false);
    assert.deepEqual(waits, []);
    // Four at once, from four addresses: they queue on the account, 100 ms apart.
    const attempts = ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"].map((host) =>
      throttle.verify("user1", "guess", { remoteAddress: `${host}:1` }),
    );
    assert.deepEqual(await Promise.all(attempts), [false, false, false, false]);
    assert.deepEqual(waits, [100, 200, 300, 400]);
    // 7 failures now: the next attempt is spaced 100 * 2^4 ms after the last.
    waits.length = 0;
    assert.equal(await throttle.verify("user1", "pass1"), true);
    assert.deepEqual(waits, [1600]);
  });

  test("an unknown name is throttled exactly like an existing one", async () => {
    const known = throttled();
    const unknown = throttled();
    for (let i = 0; i < 6; i++) {
      await known.throttle.verify("user1", "guess", FROM);
      await unknown.throttle.verify("nobody", "guess", FROM);
    }
    assert.deepEqual(unknown.waits, known.waits);
    assert.ok(known.waits.length > 0);
  });

  test("per source address: guessing many names from one host slows that host only", async () => {
    const { throttle, waits } = throttled();
    for (let i = 0; i < 3; i++) await throttle.verify(`name${i}`, "guess", FROM);
    assert.deepEqual(waits, []);
    await throttle.verify("name3", "guess", SAME_HOST_OTHER_PORT);
    assert.deepEqual(waits, [100]);
    assert.equal(await throttle.verify("user2", "pass2", ELSEWHERE), true);
    assert.deepEqual(waits, [100], "another host is not slowed");
  });

  test("a success clears its account's failures; failures are forgotten after forgetAfterMs", async () => {
    const { throttle, clock, waits } = throttled({ forgetAfterMs: 60_000 });
    for (let i = 0; i < 4; i++)
      await throttle.verify("user1", "guess", { remoteAddress: `192.0.2.${i}:1` });
    waits.length = 0;
    assert.equal(await throttle.verify("user1", "pass1", ELSEWHERE), true);
    assert.equal(await throttle.verify("user1", "guess", ELSEWHERE), false);
    assert.deepEqual(waits, [200], "the success waited its turn; after it the account is clear");

    for (let i = 0; i < 5; i++)
      await throttle.verify("user3", "guess", { remoteAddress: `192.0.2.${i}:1` });
    clock.now += 60_001;
    waits.length = 0;
    assert.equal(await throttle.verify("user3", "pass3", ELSEWHERE), true);
    assert.deepEqual(waits, []);
  });

  test("when the queue is longer than maxDelayMs, an attempt is refused unchecked after maxDelayMs", async () => {
    const { throttle, waits } = throttled({ maxDelayMs: 1_000 });
    for (let i = 0; i < 3; i++) await throttle.verify("user1", "guess");
    const queued = Array.from({ length: 12 }, () => throttle.verify("user1", "pass1"));
    const results = await Promise.all(queued);
    // 100, 200, ... 1000 ms: ten get their turn; the right password counts only then.
    assert.deepEqual(results, [...Array(10).fill(true), false, false]);
    assert.deepEqual(waits.slice(10), [1_000, 1_000]);
  });

  test("only maxTrackedKeys names are remembered: invented names cannot exhaust memory", async () => {
    const { throttle, waits } = throttled({ maxTrackedKeys: 2 });
    for (let i = 0; i < 3; i++) await throttle.verify("user1", "guess");
    // Two newer names push user1's failures out.
    await throttle.verify("invented1", "guess");
    await throttle.verify("invented2", "guess");
    assert.deepEqual(waits, []);
    await throttle.verify("user1", "guess");
    assert.deepEqual(waits, []);
  });
});

test("over the wire: after 3 failures on an account from 3 connections, the 4th connection's BAD_CREDENTIALS comes no sooner than the back-off", async () => {
  const backOffMs = 300;
  const server = await startTestServer({
    authenticator: new LoginThrottle(store, { baseDelayMs: backOffMs }),
  });
  const peers: RawPeer[] = [];
  try {
    for (const name of ["user1", "nobody"]) {
      // The back-off runs from the third failure, which the server records after the third
      // LOGIN_REQUEST was sent: so the fourth answer comes at least backOffMs after that send.
      let thirdSent = 0;
      for (let i = 0; i < 3; i++) {
        const peer = await RawPeer.connect(server.address);
        peers.push(peer);
        await peer.negotiate();
        thirdSent = performance.now();
        assert.equal((await peer.login(name, "guess")).status, "BAD_CREDENTIALS");
      }
      const fourth = await RawPeer.connect(server.address);
      peers.push(fourth);
      await fourth.negotiate();
      const response = await fourth.login(name, "guess");
      const waited = performance.now() - thirdSent;
      assert.equal(response.status, "BAD_CREDENTIALS");
      assert.ok(waited >= backOffMs - 1, `${name}: answered after ${waited.toFixed(0)} ms`);
      // The connection is otherwise unaffected: it may try again (REQ-5.7 counts per connection).
      assert.equal((await fourth.ping(1)).token, 1);
    }
  } finally {
    for (const peer of peers) peer.destroy();
    await server.close();
  }
});
