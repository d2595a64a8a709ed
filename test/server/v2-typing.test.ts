// Version 2 typing indicators (spec §12.7) against a real server over loopback: relayed to the
// target user or the room's other members (never back to the typist), expired by the server with
// a STOPPED of its own, rate-limited per session.
//
// Time is what these rules are about, so most tests run the server on a fake clock with its
// timeout wheel driven by hand (`advance`): the spec's own 5 s typing timeout and 250 ms interval,
// checked exactly, without waiting for them. One test runs on the real clock to show an indicator
// expires by itself.
import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import { LIMITS, type Pdu, TIMER_DEFAULTS_MS } from "../../generated/index.ts";
import type { RunningParrotServer } from "../../server/parrot-server.ts";
import { TimeoutWheel } from "../../server/timeout-wheel.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { writeFastUsersFile } from "../../tools/launch/test-accounts.ts";
import type { RawPeer } from "./raw-peer.ts";
import { PeerPool, V2_ACCOUNTS } from "./v2-peers.ts";

const TIMEOUT = TIMER_DEFAULTS_MS.typingTimeout;
const TOLERANCE = TIMER_DEFAULTS_MS.timeoutTolerance;
const INTERVAL = LIMITS.typingMinIntervalMs;

let fakeNow = 1_000_000;
const wheel = new TimeoutWheel({ tickMs: 50, now: () => fakeNow, autoStart: false });
let server: RunningParrotServer;
let usersFile: string;
const pool = new PeerPool(() => server);

before(async () => {
  usersFile = await writeFastUsersFile(V2_ACCOUNTS);
  server = await startTestServer({ usersFile, clock: () => fakeNow, timeouts: wheel });
});
afterEach(() => pool.destroyAll());
after(() => server.close());

/** Moves the server's clock on and runs whatever timeouts have come due. */
function advance(ms: number): void {
  fakeNow += ms;
  wheel.runDue(fakeNow);
}

function typing(
  targetKind: "USER" | "ROOM",
  target: string,
  state: "STARTED" | "STOPPED" = "STARTED",
): Pdu {
  return { type: "TYPING", version: 2, targetKind, target, state };
}

function notice(
  from: string,
  targetKind: "USER" | "ROOM",
  room: string,
  state: "STARTED" | "STOPPED",
): Pdu {
  return { type: "TYPING_NOTICE", version: 2, targetKind, room, from, state };
}

async function joinAll(room: string, peers: RawPeer[]): Promise<void> {
  for (const [index, peer] of peers.entries()) {
    peer.send({ type: "ROOM_JOIN", version: 2, requestId: index, room });
    assert.equal((await peer.expect("ROOM_RESULT")).status, "OK");
  }
  // Each member hears its own join and every later one.
  for (const [index, peer] of peers.entries()) await peer.take(peers.length - index);
}

/** Sends a TYPING and waits until the server has handled it (the PONG behind it is back). */
async function typed(peer: RawPeer, pdu: Pdu): Promise<Pdu[]> {
  peer.send(pdu);
  return peer.drain();
}

describe("relay", () => {
  test("to a user: one TYPING_NOTICE to that session, no answer to the typist, nothing to anyone else", async () => {
    const alice = await pool.login("alice");
    const bob = await pool.login("bob");
    const carol = await pool.login("carol");
    assert.deepEqual(await typed(alice, typing("USER", "bob")), []);
    assert.deepEqual(await bob.take(1), [notice("alice", "USER", "", "STARTED")]);
    advance(INTERVAL);
    assert.deepEqual(await typed(alice, typing("USER", "bob", "STOPPED")), []);
    assert.deepEqual(await bob.take(1), [notice("alice", "USER", "", "STOPPED")]);
    assert.deepEqual(await bob.drain(), []);
    assert.deepEqual(await carol.drain(), []);
  });

  test("to an offline, unknown or version-1 user: no answer, nothing relayed", async () => {
    const alice = await pool.login("alice");
    const v1 = await pool.login("dave", [1]);
    for (const target of ["dave", "erin", "no-such-user"]) {
      assert.deepEqual(await typed(alice, typing("USER", target)), []);
      advance(INTERVAL);
    }
    assert.deepEqual(await v1.drain(), []);
  });

  test("to a room: every other member gets one notice naming the room; the typist and outsiders none", async () => {
    const [alice, bob, carol] = await Promise.all(
      ["alice", "bob", "carol"].map((name) => pool.login(name)),
    );
    const outsider = await pool.login("dave");
    await joinAll("den", [alice!, bob!, carol!]);
    assert.deepEqual(await typed(alice!, typing("ROOM", "den")), []);
    for (const member of [bob!, carol!]) {
      assert.deepEqual(await member.take(1), [notice("alice", "ROOM", "den", "STARTED")]);
      assert.deepEqual(await member.drain(), []);
    }
    assert.deepEqual(await outsider.drain(), []);
  });

  test("to a room the typist is not in: ROOM_RESULT NOT_MEMBER with request_id 0, nothing relayed", async () => {
    const alice = await pool.login("alice");
    const bob = await pool.login("bob");
    await joinAll("private", [bob]);
    alice.send(typing("ROOM", "private"));
    assert.deepEqual(await alice.expect("ROOM_RESULT"), {
      type: "ROOM_RESULT",
      version: 2,
      requestId: 0,
      status: "NOT_MEMBER",
      room: "private",
    });
    assert.deepEqual(await bob.drain(), []);
  });
});

describe("expiry", () => {
  test("a STARTED with no STOPPED: not before typingTimeout, then the server's own STOPPED, to the target only", async () => {
    const alice = await pool.login("alice");
    const bob = await pool.login("bob");
    await typed(alice, typing("USER", "bob"));
    assert.deepEqual(await bob.take(1), [notice("alice", "USER", "", "STARTED")]);
    advance(TIMEOUT - 1);
    assert.deepEqual(await bob.drain(), [], "not before the timeout");
    advance(TOLERANCE);
    assert.deepEqual(await bob.drain(), [notice("alice", "USER", "", "STOPPED")]);
    assert.deepEqual(await alice.drain(), [], "never to the typist");
  });

  test("a fresher STARTED postpones it: one STOPPED, a timeout after the last STARTED", async () => {
    const alice = await pool.login("alice");
    const bob = await pool.login("bob");
    await typed(alice, typing("USER", "bob"));
    advance(3000);
    await typed(alice, typing("USER", "bob"));
    assert.deepEqual(await bob.take(2), [
      notice("alice", "USER", "", "STARTED"),
      notice("alice", "USER", "", "STARTED"),
    ]);
    // Well past the first STARTED's deadline (and its tolerance), short of the second's.
    advance(TIMEOUT - 1);
    assert.deepEqual(await bob.drain(), []);
    advance(TOLERANCE);
    assert.deepEqual(await bob.drain(), [notice("alice", "USER", "", "STOPPED")]);
    advance(TIMEOUT + TOLERANCE);
    assert.deepEqual(await bob.drain(), [], "exactly one");
  });

  test("no expiry STOPPED after the typist's own STOPPED", async () => {
    const alice = await pool.login("alice");
    const bob = await pool.login("bob");
    await typed(alice, typing("USER", "bob"));
    advance(INTERVAL);
    await typed(alice, typing("USER", "bob", "STOPPED"));
    assert.deepEqual(await bob.take(2), [
      notice("alice", "USER", "", "STARTED"),
      notice("alice", "USER", "", "STOPPED"),
    ]);
    advance(TIMEOUT + TOLERANCE);
    assert.deepEqual(await bob.drain(), []);
  });

  test("in a room, also after the typist has gone: to the members at expiry time", async () => {
    const [alice, bob, carol] = await Promise.all(
      ["alice", "bob", "carol"].map((name) => pool.login(name)),
    );
    await joinAll("den", [alice!, bob!]);
    await typed(alice!, typing("ROOM", "den"));
    assert.deepEqual(await bob!.take(1), [notice("alice", "ROOM", "den", "STARTED")]);
    alice!.destroy();
    assert.deepEqual(await bob!.take(1), [
      { type: "ROOM_EVENT", version: 2, room: "den", user: "alice", event: "LEFT" },
    ]);
    // carol joins meanwhile: the indicator's recipients are the room's members when it expires.
    await joinAll("den", [carol!]);
    await bob!.take(1);
    advance(TIMEOUT + TOLERANCE);
    for (const member of [bob!, carol!]) {
      assert.deepEqual(await member.drain(), [notice("alice", "ROOM", "den", "STOPPED")]);
    }
  });
});

describe("rate limit", () => {
  test("a TYPING less than the interval after an accepted one: RATE_LIMITED, not relayed, the session goes on", async () => {
    const alice = await pool.login("alice");
    const bob = await pool.login("bob");
    await typed(alice, typing("USER", "bob"));
    advance(INTERVAL - 1);
    const refused = await typed(alice, typing("USER", "bob", "STOPPED"));
    assert.equal(refused.length, 1);
    assert.equal(refused[0]!.type, "ERROR");
    assert.equal(refused[0]!.type === "ERROR" && refused[0]!.code, "RATE_LIMITED");
    assert.equal(refused[0]!.version, 2);
    assert.deepEqual(await bob.take(1), [notice("alice", "USER", "", "STARTED")]);
    assert.deepEqual(await bob.drain(), [], "the refused STOPPED was not relayed");
    // A refused TYPING does not restart the interval: counted from the accepted one.
    advance(1);
    assert.deepEqual(await typed(alice, typing("USER", "bob", "STOPPED")), []);
    assert.deepEqual(await bob.take(1), [notice("alice", "USER", "", "STOPPED")]);
  });

  test("the check comes before NOT_MEMBER", async () => {
    const alice = await pool.login("alice");
    alice.send(typing("ROOM", "nowhere"));
    alice.send(typing("ROOM", "nowhere"));
    assert.equal((await alice.expect("ROOM_RESULT")).status, "NOT_MEMBER");
    await alice.expectError("RATE_LIMITED");
  });

  test("per session: another typist is not held back", async () => {
    const alice = await pool.login("alice");
    const bob = await pool.login("bob");
    const carol = await pool.login("carol");
    await typed(alice, typing("USER", "carol"));
    assert.deepEqual(await typed(bob, typing("USER", "carol")), []);
    assert.deepEqual(await carol.take(2), [
      notice("alice", "USER", "", "STARTED"),
      notice("bob", "USER", "", "STARTED"),
    ]);
  });
});

test("on the real clock an indicator expires by itself", async () => {
  const real = await startTestServer({ usersFile, typingTimeoutMs: 300 });
  const realPool = new PeerPool(() => real);
  try {
    const alice = await realPool.login("alice");
    const bob = await realPool.login("bob");
    alice.send(typing("USER", "bob"));
    assert.deepEqual(await bob.take(2), [
      notice("alice", "USER", "", "STARTED"),
      notice("alice", "USER", "", "STOPPED"),
    ]);
  } finally {
    realPool.destroyAll();
    await real.close();
  }
});
