// Typing indicators on a fake clock: outgoing TYPINGs never faster than the server's rate limit
// (REQ-12.27), repeated while typing (REQ-12.29), stopped on send or idle; incoming ones shown once,
// cleared on STOPPED or, failing that, on their own.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ComposeTyping, IDLE_MS, REPEAT_MS } from "../../cli/client/compose-typing.ts";
import { LOCAL_TYPING_EXPIRY_MS, TypingBoard, type Typist } from "../../cli/client/typing-board.ts";
import { TypingSender, type TypingSignal, type TypingTarget } from "../../client/typing-sender.ts";
import { LIMITS, TIMER_DEFAULTS_MS } from "../../generated/index.ts";
import { FakeClock } from "./fake-clock.ts";

const user2: TypingTarget = { kind: "USER", name: "user2" };
const lobby: TypingTarget = { kind: "ROOM", name: "lobby" };

function recordingSender(clock: FakeClock) {
  const sent: { at: number; signal: TypingSignal }[] = [];
  const sender = new TypingSender((signal) => sent.push({ at: clock.now(), signal }), clock);
  return { sender, sent };
}

describe("TypingSender: pacing for the server's rate limit", () => {
  test("the first TYPING goes at once; the next ones keep more than the minimum gap", () => {
    const clock = new FakeClock();
    const { sender, sent } = recordingSender(clock);
    sender.push({ target: user2, state: "STARTED" });
    sender.push({ target: user2, state: "STOPPED" });
    sender.push({ target: lobby, state: "STARTED" });
    assert.equal(sent.length, 1);
    clock.advance(2000);
    assert.deepEqual(
      sent.map((each) => [each.signal.target.name, each.signal.state]),
      [
        ["user2", "STARTED"],
        ["user2", "STOPPED"],
        ["lobby", "STARTED"],
      ],
    );
    for (let i = 1; i < sent.length; i += 1) {
      const gap = sent[i]!.at - sent[i - 1]!.at;
      assert.ok(gap > LIMITS.typingMinIntervalMs, `gap ${gap} ms`);
    }
  });

  test("after a pause longer than the gap, a TYPING goes at once", () => {
    const clock = new FakeClock();
    const { sender, sent } = recordingSender(clock);
    sender.push({ target: user2, state: "STARTED" });
    clock.advance(10_000);
    sender.push({ target: user2, state: "STOPPED" });
    assert.equal(sent.length, 2);
    assert.equal(sent[1]!.at, 10_000);
  });

  test("replaceQueued keeps one queued signal per target; plain pushes are all sent", () => {
    const clock = new FakeClock();
    const { sender, sent } = recordingSender(clock);
    sender.push({ target: lobby, state: "STARTED" });
    sender.push({ target: user2, state: "STARTED" }, { replaceQueued: true });
    sender.push({ target: user2, state: "STOPPED" }, { replaceQueued: true });
    assert.equal(sender.queuedCount, 1);
    sender.push({ target: user2, state: "STARTED" });
    assert.equal(sender.queuedCount, 2);
    clock.advance(2000);
    assert.deepEqual(
      sent.map((each) => each.signal.state),
      ["STARTED", "STOPPED", "STARTED"],
    );
  });

  test("flushed() resolves once the queue is sent; stop() drops the rest and resolves it", async () => {
    const clock = new FakeClock();
    const { sender, sent } = recordingSender(clock);
    await sender.flushed();
    sender.push({ target: user2, state: "STARTED" });
    sender.push({ target: user2, state: "STOPPED" });
    let flushed = false;
    const waiting = sender.flushed().then(() => {
      flushed = true;
    });
    await Promise.resolve();
    assert.equal(flushed, false);
    clock.advance(1000);
    await waiting;
    assert.equal(sent.length, 2);

    sender.push({ target: lobby, state: "STARTED" });
    sender.push({ target: lobby, state: "STOPPED" });
    const dropped = sender.flushed();
    sender.stop();
    await dropped;
    clock.advance(1000);
    assert.equal(sent.length, 3, "nothing is sent after stop()");
    assert.equal(clock.pendingTimers, 0);
  });
});

describe("ComposeTyping: the interactive indicator", () => {
  function composer() {
    const clock = new FakeClock();
    const signals: { at: number; signal: TypingSignal }[] = [];
    const compose = new ComposeTyping((signal) => signals.push({ at: clock.now(), signal }), clock);
    const states = () =>
      signals.map((each) => `${each.at} ${each.signal.target.name} ${each.signal.state}`);
    return { clock, compose, states };
  }

  test("STARTED on the first keystroke, repeated while typing, STOPPED when the line is sent", () => {
    const { clock, compose, states } = composer();
    for (let t = 0; t <= 6000; t += 100) {
      compose.keystroke(lobby);
      clock.advance(100);
    }
    compose.stop();
    assert.ok(
      REPEAT_MS >= LIMITS.typingMinIntervalMs && REPEAT_MS < TIMER_DEFAULTS_MS.typingTimeout,
    );
    assert.deepEqual(states(), [
      "0 lobby STARTED",
      `${REPEAT_MS} lobby STARTED`,
      `${2 * REPEAT_MS} lobby STARTED`,
      "6100 lobby STOPPED",
    ]);
  });

  test("STOPPED after a pause in typing, and STARTED again when typing resumes", () => {
    const { clock, compose, states } = composer();
    compose.keystroke(user2);
    clock.advance(IDLE_MS);
    compose.keystroke(user2);
    assert.deepEqual(states(), [
      "0 user2 STARTED",
      `${IDLE_MS} user2 STOPPED`,
      `${IDLE_MS} user2 STARTED`,
    ]);
  });

  test("readdressing the line stops the old target first; erasing it stops typing", () => {
    const { clock, compose, states } = composer();
    compose.keystroke(user2);
    compose.keystroke(lobby);
    compose.keystroke(undefined);
    compose.keystroke(undefined);
    compose.stop();
    clock.advance(10_000);
    assert.deepEqual(states(), [
      "0 user2 STARTED",
      "0 user2 STOPPED",
      "0 lobby STARTED",
      "0 lobby STOPPED",
    ]);
  });
});

describe("TypingBoard: who is shown as typing", () => {
  function board() {
    const clock = new FakeClock();
    const changes: string[] = [];
    const typists = new TypingBoard(
      (typist: Typist, typing: boolean) =>
        changes.push(`${typist.from}${typist.room === "" ? "" : ` #${typist.room}`} ${typing}`),
      clock,
    );
    return { clock, typists, changes };
  }

  test("repeated STARTEDs show once; STOPPED clears; a STOPPED for nobody shown is ignored", () => {
    const { typists, changes } = board();
    typists.notice({ targetKind: "ROOM", room: "lobby", from: "user3", started: true });
    typists.notice({ targetKind: "ROOM", room: "lobby", from: "user3", started: true });
    typists.notice({ targetKind: "USER", room: "", from: "user3", started: true });
    assert.deepEqual(typists.typists, [
      { from: "user3", room: "lobby" },
      { from: "user3", room: "" },
    ]);
    typists.notice({ targetKind: "ROOM", room: "lobby", from: "user3", started: false });
    typists.notice({ targetKind: "ROOM", room: "lobby", from: "user3", started: false });
    typists.notice({ targetKind: "ROOM", room: "other", from: "user2", started: false });
    assert.deepEqual(changes, ["user3 #lobby true", "user3 true", "user3 #lobby false"]);
  });

  test("an indicator the server never stops disappears on its own; a fresh STARTED renews it", () => {
    const { clock, typists, changes } = board();
    typists.notice({ targetKind: "USER", room: "", from: "user2", started: true });
    clock.advance(LOCAL_TYPING_EXPIRY_MS - 1);
    typists.notice({ targetKind: "USER", room: "", from: "user2", started: true });
    clock.advance(LOCAL_TYPING_EXPIRY_MS - 1);
    assert.deepEqual(changes, ["user2 true"]);
    clock.advance(1);
    assert.deepEqual(changes, ["user2 true", "user2 false"]);
    assert.ok(
      LOCAL_TYPING_EXPIRY_MS > TIMER_DEFAULTS_MS.typingTimeout,
      "the server's STOPPED wins",
    );
  });

  test("clear() forgets everything without reporting and leaves no timer behind", () => {
    const { clock, typists, changes } = board();
    typists.notice({ targetKind: "USER", room: "", from: "user2", started: true });
    typists.clear();
    assert.equal(clock.pendingTimers, 0);
    assert.deepEqual(typists.typists, []);
    assert.deepEqual(changes, ["user2 true"]);
  });
});
