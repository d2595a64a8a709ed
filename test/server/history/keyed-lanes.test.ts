/** KeyedLanes: one task at a time per key, in order; keys independent; a failure does not block. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { KeyedLanes } from "../../../server/history/keyed-lanes.ts";

/** A promise the test settles by hand, so the order of events is the test's, not a timer's. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe("KeyedLanes", () => {
  test("runs the tasks of one key one at a time, in the order they were queued", async () => {
    const lanes = new KeyedLanes();
    const events: string[] = [];
    const first = gate();
    const a = lanes.run("room", async () => {
      events.push("a starts");
      await first.promise;
      events.push("a ends");
    });
    const b = lanes.run("room", async () => {
      events.push("b runs");
    });
    await Promise.resolve();
    assert.deepEqual(events, ["a starts"], "b waits for a");
    first.open();
    await Promise.all([a, b]);
    assert.deepEqual(events, ["a starts", "a ends", "b runs"]);
  });

  test("runs tasks of different keys side by side", async () => {
    const lanes = new KeyedLanes();
    const held = gate();
    const events: string[] = [];
    const a = lanes.run("one", async () => {
      await held.promise;
      events.push("one");
    });
    await lanes.run("two", async () => {
      events.push("two");
    });
    assert.deepEqual(events, ["two"], "two did not wait for one");
    held.open();
    await a;
  });

  test("a task that fails rejects its own caller and the lane goes on", async () => {
    const lanes = new KeyedLanes();
    const failing = lanes.run("room", async () => {
      throw new Error("store down");
    });
    const next = lanes.run("room", async () => "ran");
    await assert.rejects(failing, /store down/);
    assert.equal(await next, "ran");
  });

  test("forgets a key once its tasks are done", async () => {
    const lanes = new KeyedLanes();
    await lanes.run("room", async () => undefined);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(lanes.busyKeys, 0);
  });

  test("a task that answers at once on an idle key answers the caller at once, and holds nothing", () => {
    const lanes = new KeyedLanes();
    const answer = lanes.run("room", () => 7);
    assert.equal(answer, 7, "not a Promise: the default server's fan-out stays synchronous");
    assert.equal(lanes.busyKeys, 0);
  });

  test("a task that could answer at once still waits behind a running one", async () => {
    const lanes = new KeyedLanes();
    const held = gate();
    const events: string[] = [];
    const a = lanes.run("room", async () => {
      await held.promise;
      events.push("a");
    });
    const b = lanes.run("room", () => {
      events.push("b");
      return "b";
    });
    assert.ok(b instanceof Promise, "queued, so answered later");
    held.open();
    await a;
    assert.equal(await b, "b");
    assert.deepEqual(events, ["a", "b"]);
  });
});
