// ClientSession driven over an in-memory stream pair (test/transport/memory-stream.ts) with a
// fake clock: the test plays the server PDU by PDU and moves time by hand, so keep-alive and the
// logout barrier are judged exactly, with no socket and no sleep.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ClientFailure } from "../../client/client-failure.ts";
import { ClientSession } from "../../client/client-session.ts";
import { PING_EARLY_FACTOR } from "../../client/keep-alive.ts";
import type { Pdu } from "../../generated/index.ts";
import { memoryStreamPair } from "../../transport/memory-stream.ts";
import { PduChannel } from "../../transport/pdu-channel.ts";
import { FakeClock } from "./fake-clock.ts";

/** Resolves after the deliveries already scheduled on either end (one setImmediate each) have run. */
function deliveriesSettled(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

const INTERVAL_MS = 1000;
const TIMEOUT_MS = 3000;

function sessionOverMemory() {
  const clock = new FakeClock();
  const { client, server } = memoryStreamPair();
  const session = new ClientSession(new PduChannel(client), clock);
  const peer = new PduChannel(server);
  const received: Pdu[] = [];
  peer.onPdu((pdu) => received.push(pdu));
  let ended: ClientFailure | undefined | "running" = "running";
  void session.ended.then((failure) => {
    ended = failure;
  });
  /** Lets every PDU in flight (both ways) arrive and be handled. */
  const settle = async () => {
    for (let hop = 0; hop < 6; hop += 1) await deliveriesSettled();
  };
  const pings = () => received.filter((pdu) => pdu.type === "PING");
  return { clock, session, peer, received, pings, settle, endedWith: () => ended };
}

type Harness = ReturnType<typeof sessionOverMemory>;

async function negotiated(harness: Harness, chosenVersion = 1): Promise<void> {
  const negotiation = harness.session.negotiate([1, 2]);
  await harness.settle();
  harness.peer.send({
    type: "VERSION_RESPONSE",
    version: 0,
    status: "OK",
    chosenVersion,
    pingIntervalMs: INTERVAL_MS,
    pingTimeoutMs: TIMEOUT_MS,
    supportedVersions: [1, 2],
  });
  await negotiation;
}

async function loggedIn(harness: Harness): Promise<void> {
  await negotiated(harness);
  const login = harness.session.login("user1", "pass1");
  await harness.settle();
  harness.peer.send({ type: "LOGIN_RESPONSE", version: 1, status: "OK", text: "" });
  assert.equal((await login).status, "OK");
}

/** Moves the fake clock in steps, letting what the server sends in between arrive. */
async function advance(harness: Harness, totalMs: number, stepMs: number, each?: () => void) {
  for (let done = 0; done < totalMs; done += stepMs) {
    each?.();
    await harness.settle();
    harness.clock.advance(Math.min(stepMs, totalMs - done));
    await harness.settle();
  }
}

describe("ClientSession over an in-memory stream", () => {
  test("a whole session: negotiate, log in, chat, echo, log out cleanly", async () => {
    const harness = sessionOverMemory();
    const events: string[] = [];
    harness.session.onEvent((event) => {
      if (event.kind === "echo") events.push(event.text);
    });
    await loggedIn(harness);
    harness.session.requests.chat("hello");
    await harness.settle();
    const chat = harness.received.find((pdu) => pdu.type === "CHAT");
    assert.ok(chat?.type === "CHAT");
    harness.peer.send({ ...chat, type: "CHAT_ECHO" });
    await harness.settle();
    assert.deepEqual(events, ["hello"]);
    const logout = harness.session.logout();
    await harness.settle();
    assert.equal(harness.received.at(-1)?.type, "LOGOUT");
    void harness.peer.close();
    await logout;
    assert.equal(await harness.session.ended, undefined);
  });

  test("PINGs go at 0.8 × the advertised interval, counted from the VERSION_RESPONSE (REQ-7.1)", async () => {
    const harness = sessionOverMemory();
    harness.clock.advance(250); // time spent before the answer does not count
    await negotiated(harness);
    // The number itself, not the constant: a client SHOULD ping at 0.8 × the interval at most.
    const period = 800;
    assert.equal(period, INTERVAL_MS * PING_EARLY_FACTOR);
    harness.clock.advance(period - 1);
    await harness.settle();
    assert.equal(harness.pings().length, 0, "no PING before 0.8 × the interval");
    harness.clock.advance(1);
    await harness.settle();
    assert.equal(harness.pings().length, 1, "the first PING at 0.8 × the interval");
    harness.clock.advance(period);
    await harness.settle();
    assert.equal(harness.pings().length, 2, "the next one a period later");
    harness.session.abort(new ClientFailure("CONNECTION_LOST", "test over"));
  });

  test("PONGs with tokens the client never sent are not life: the server is declared dead (REQ-7.8)", async () => {
    const harness = sessionOverMemory();
    await loggedIn(harness);
    await advance(harness, TIMEOUT_MS + INTERVAL_MS, 250, () =>
      harness.peer.send({ type: "PONG", version: 1, token: 0x7fff_0000 }),
    );
    const failure = harness.endedWith();
    assert.ok(failure instanceof ClientFailure, `the session ended: ${String(failure)}`);
    assert.equal(failure.reason, "SERVER_SILENT");
  });

  test("PONGs that answer the client's PINGs are life: the session stays up", async () => {
    const harness = sessionOverMemory();
    await loggedIn(harness);
    harness.peer.onPdu((pdu) => {
      if (pdu.type === "PING") harness.peer.send({ type: "PONG", version: 1, token: pdu.token });
    });
    await advance(harness, TIMEOUT_MS * 2, 250);
    assert.equal(harness.endedWith(), "running");
    harness.session.abort(new ClientFailure("CONNECTION_LOST", "test over"));
  });

  test("a logout waits for an echo only while the server makes progress", async () => {
    // The server keeps talking (echoes of ids never sent, so it is alive) but never echoes our
    // CHAT nor answers the PING behind it: the wait for the echo must end, not last for ever.
    const harness = sessionOverMemory();
    const notices: string[] = [];
    harness.session.onNotice((notice) => notices.push(notice));
    await loggedIn(harness);
    harness.session.requests.chat("never echoed");
    const logout = harness.session.logout().catch((error: unknown) => error);
    await advance(harness, TIMEOUT_MS + INTERVAL_MS, 250, () =>
      harness.peer.send({ type: "CHAT_ECHO", version: 1, messageId: 999, text: "noise" }),
    );
    const failure = await logout;
    assert.ok(failure instanceof ClientFailure, `the logout failed: ${String(failure)}`);
    assert.equal(failure.reason, "SERVER_SILENT");
    assert.match(failure.message, /1 request\(s\) still unanswered/);
    assert.ok(notices.some((notice) => /ignored an echo for message id 999/.test(notice)));
    assert.ok(!harness.received.some((pdu) => pdu.type === "LOGOUT"), "no LOGOUT while waiting");
  });

  test("a closing ERROR shows its numeric code and the server's text quoted, apart", async () => {
    const harness = sessionOverMemory();
    await negotiated(harness);
    harness.peer.send({ type: "ERROR", version: 1, code: "TOO_MANY_LOGIN_ATTEMPTS", text: "OK" });
    const failure = await harness.session.ended;
    assert.equal(failure?.reason, "LOGIN_REFUSED");
    assert.equal(
      failure?.message,
      'server error 207 TOO_MANY_LOGIN_ATTEMPTS (the server said: "OK")',
    );
  });

  test("a VERSION_RESPONSE choosing a version not offered: ERROR WRONG_VERSION in header version 0, closed (REQ-4.5)", async () => {
    const harness = sessionOverMemory();
    const negotiation = harness.session.negotiate([1, 2]).catch((error: unknown) => error);
    await harness.settle();
    harness.peer.send({
      type: "VERSION_RESPONSE",
      version: 0,
      status: "OK",
      chosenVersion: 9,
      pingIntervalMs: INTERVAL_MS,
      pingTimeoutMs: TIMEOUT_MS,
      supportedVersions: [9],
    });
    const failure = await negotiation;
    assert.ok(failure instanceof ClientFailure);
    assert.equal(failure.reason, "CONNECTION_LOST");
    const error = harness.received.find((pdu) => pdu.type === "ERROR");
    assert.ok(error?.type === "ERROR", "the client told the server");
    assert.equal(error.code, "WRONG_VERSION");
    assert.equal(error.version, 0);
  });
});
