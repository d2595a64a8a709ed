// TimeoutWheel on a fake clock: items expire no earlier than their deadline and within a couple
// of ticks after it; activity (a later deadline) needs no re-bucketing; far deadlines wait for
// later turns; one failing item does not stop the others.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type Expirable, TimeoutWheel } from "../../server/timeout-wheel.ts";

const TICK = 250;

class Clock {
  now = 1_000_000;
}

class Item implements Expirable {
  expiredAt: number[] = [];
  constructor(public due: number | null) {}
  deadline(): number | null {
    return this.due;
  }
  expire(now: number): void {
    this.expiredAt.push(now);
  }
}

function wheel(clock: Clock, slotCount = 64) {
  return new TimeoutWheel({ tickMs: TICK, slotCount, now: () => clock.now, autoStart: false });
}

/** Advances the clock in steps of `step` ms up to `until`, running the wheel at each step. */
function runUntil(clock: Clock, subject: TimeoutWheel, until: number, step = 10): void {
  while (clock.now < until) {
    clock.now = Math.min(until, clock.now + step);
    subject.runDue(clock.now);
  }
}

describe("TimeoutWheel", () => {
  test("an item expires once, no earlier than its deadline and within two ticks of it", () => {
    const clock = new Clock();
    const subject = wheel(clock);
    const item = new Item(clock.now + 1_234);
    subject.track(item);
    runUntil(clock, subject, item.due! - 1);
    assert.deepEqual(item.expiredAt, []);
    runUntil(clock, subject, item.due! + 2 * TICK);
    assert.equal(item.expiredAt.length, 1);
    assert.ok(item.expiredAt[0]! >= item.due!);
    assert.equal(subject.size, 0);
  });

  test("a deadline moved later (activity) is honoured without rescheduling", () => {
    const clock = new Clock();
    const subject = wheel(clock);
    const item = new Item(clock.now + 1_000);
    subject.track(item);
    runUntil(clock, subject, clock.now + 900);
    item.due = clock.now + 1_000; // the session saw a PDU: its deadline moves on
    runUntil(clock, subject, item.due - 1);
    assert.deepEqual(item.expiredAt, []);
    runUntil(clock, subject, item.due + 2 * TICK);
    assert.equal(item.expiredAt.length, 1);
    assert.ok(item.expiredAt[0]! >= item.due);
  });

  test("a deadline moved earlier takes effect after reschedule()", () => {
    const clock = new Clock();
    const subject = wheel(clock);
    const item = new Item(clock.now + 60_000);
    subject.track(item);
    item.due = clock.now + 500;
    subject.reschedule(item);
    runUntil(clock, subject, item.due + 2 * TICK);
    assert.equal(item.expiredAt.length, 1);
  });

  test("a deadline beyond one turn of the wheel waits for a later turn", () => {
    const clock = new Clock();
    const subject = wheel(clock, 8); // one turn = 2 s
    const item = new Item(clock.now + 9_000);
    subject.track(item);
    runUntil(clock, subject, item.due! - 1);
    assert.deepEqual(item.expiredAt, []);
    runUntil(clock, subject, item.due! + 2 * TICK);
    assert.equal(item.expiredAt.length, 1);
  });

  test("untracked items and null deadlines never expire", () => {
    const clock = new Clock();
    const subject = wheel(clock);
    const untracked = new Item(clock.now + 300);
    const finished = new Item(clock.now + 300);
    subject.track(untracked);
    subject.track(finished);
    subject.untrack(untracked);
    finished.due = null;
    runUntil(clock, subject, clock.now + 5_000);
    assert.deepEqual(untracked.expiredAt, []);
    assert.deepEqual(finished.expiredAt, []);
    assert.equal(subject.size, 0);
  });

  test("one item throwing does not stop the others", () => {
    const clock = new Clock();
    const errors: unknown[] = [];
    const subject = new TimeoutWheel({
      tickMs: TICK,
      now: () => clock.now,
      autoStart: false,
      onError: (error) => errors.push(error),
    });
    const thrower: Expirable = {
      deadline: () => clock.now - 1,
      expire: () => {
        throw new Error("broken item");
      },
    };
    const fine = new Item(clock.now + 100);
    subject.track(thrower);
    subject.track(fine);
    runUntil(clock, subject, clock.now + 1_000);
    assert.equal(errors.length, 1);
    assert.equal(fine.expiredAt.length, 1);
  });

  test("after a long stall every overdue item expires exactly once", () => {
    const clock = new Clock();
    const subject = wheel(clock, 16);
    const items = Array.from(
      { length: 100_000 },
      (_, index) => new Item(clock.now + 100 + (index % 30_000)),
    );
    for (const item of items) subject.track(item);
    clock.now += 60_000; // the event loop was blocked for a minute
    subject.runDue(clock.now);
    assert.ok(items.every((item) => item.expiredAt.length === 1));
    assert.equal(subject.size, 0);
  });
});
