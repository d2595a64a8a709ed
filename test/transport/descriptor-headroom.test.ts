// DescriptorHeadroom with an injected limit and count: pause within `reserve` of the limit, resume
// only with twice that free, exact counts only near the limit.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DescriptorHeadroom } from "../../transport/descriptor-headroom.ts";

test("pauses within reserve of the limit, resumes once 2 x reserve are free", () => {
  let inUse = 10;
  let exactCounts = 0;
  const headroom = new DescriptorHeadroom({
    limit: 100,
    reserve: 10,
    countInUse: () => {
      exactCounts += 1;
      return inUse;
    },
  });
  exactCounts = 0;
  const open = () => {
    inUse += 1;
    return headroom.opened();
  };
  const results: boolean[] = [];
  for (let i = 0; i < 39; i++) results.push(open());
  assert.equal(exactCounts, 0, "below half the limit nothing is counted");
  for (let i = 0; i < 40; i++) results.push(open());
  assert.ok(results.every((paused) => !paused));
  assert.equal(open(), true, "the 80th connection brings 90 of 100 into use");
  assert.equal(headroom.isPaused, true);
  assert.equal(open(), false, "already paused");

  const close = () => {
    inUse -= 1;
    return headroom.closed();
  };
  for (let i = 0; i < 10; i++) assert.equal(close(), false);
  let resumed = false;
  let closedCount = 10;
  while (!resumed) {
    resumed = close();
    closedCount += 1;
  }
  assert.equal(inUse, 79, `resumed after ${closedCount} closed: below 100 - 2 x 10`);
  assert.equal(headroom.isPaused, false);
});

test("other descriptors opened meanwhile are found by the exact count near the limit", () => {
  let inUse = 10;
  const headroom = new DescriptorHeadroom({ limit: 100, reserve: 10, countInUse: () => inUse });
  for (let i = 0; i < 40; i++) {
    inUse += 1;
    assert.equal(headroom.opened(), false);
  }
  // 40 files opened elsewhere: the estimate (50) is far off; the count is 90 once checked...
  inUse += 40;
  // ... which happens every reserve / 2 connections once the estimate is past half the limit.
  let accepted = 0;
  for (;;) {
    inUse += 1;
    if (headroom.opened()) break;
    accepted += 1;
  }
  assert.ok(accepted <= 5, `${accepted} more accepted`);
  assert.ok(inUse <= 100, `${inUse} of 100 in use when paused`);
});

test("without a known limit it never pauses", () => {
  const headroom = new DescriptorHeadroom({
    limit: Number.POSITIVE_INFINITY,
    countInUse: () => 1e9,
  });
  for (let i = 0; i < 1000; i++) assert.equal(headroom.opened(), false);
});

test("an EMFILE pause ends once an exact count finds 2 x reserve free, whoever freed them", () => {
  let inUse = 95;
  const headroom = new DescriptorHeadroom({ limit: 100, reserve: 10, countInUse: () => inUse });
  headroom.pause();
  assert.equal(headroom.mayResume(), false);
  // Descriptors held elsewhere (not this listener's connections) are released.
  inUse = 79;
  assert.equal(headroom.mayResume(), true);
  assert.equal(headroom.isPaused, false);
  assert.equal(headroom.mayResume(), false, "not paused any more");
});
