// LogBudget on a fake clock: a burst per message, then a steady trickle; every line left out is
// counted on the next line written; long or control-laden strings are made safe.
import assert from "node:assert/strict";
import { test } from "node:test";
import { LogBudget } from "../../server/log-budget.ts";

const LIMITS = { burstLines: 3, linesPerSecond: 2, maxFieldChars: 8, maxTrackedMessages: 2 };

function admittedOf(budget: LogBudget, message: string, times: number): number {
  let admitted = 0;
  for (let i = 0; i < times; i++) if (budget.admit(message).admitted) admitted++;
  return admitted;
}

test("a burst of each message, then linesPerSecond; other messages keep their own burst", () => {
  let now = 0;
  const budget = new LogBudget(LIMITS, () => now);
  assert.equal(admittedOf(budget, "peer sent ERROR", 1000), 3);
  assert.deepEqual(budget.admit("disconnected"), { admitted: true, suppressed: 997 });
  now += 1000;
  assert.equal(admittedOf(budget, "peer sent ERROR", 1000), 2);
  now += 60_000;
  // Refilled up to the burst, not beyond.
  assert.equal(admittedOf(budget, "peer sent ERROR", 1000), 3);
});

test("messages beyond maxTrackedMessages share one bucket", () => {
  const budget = new LogBudget(LIMITS, () => 0);
  assert.equal(admittedOf(budget, "a", 1), 1);
  assert.equal(admittedOf(budget, "b", 1), 1);
  assert.equal(admittedOf(budget, "c", 10) + admittedOf(budget, "d", 10), 3);
});

test("string fields are cut and their control characters escaped; other fields untouched", () => {
  const budget = new LogBudget(LIMITS, () => 0);
  const fields = { code: 103, short: "ok", text: "0123456789ab", bell: "a\u0007\u001b[2J" };
  assert.deepEqual(budget.bound(fields), {
    code: 103,
    short: "ok",
    text: "01234567… (4 more characters)",
    bell: "a\\u0007\\u001b[2J",
  });
  assert.equal(fields.text, "0123456789ab", "the caller's object is not changed");
  const safe = { user: "alice" };
  assert.equal(budget.bound(safe), safe);
});
