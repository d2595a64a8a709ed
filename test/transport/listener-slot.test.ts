import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  addListener,
  emit0,
  emit1,
  emit2,
  type ListenerSlot,
} from "../../transport/listener-slot.ts";

describe("ListenerSlot", () => {
  it("emits to nobody, to one listener, then to several in registration order", () => {
    const calls: string[] = [];
    let slot: ListenerSlot<(value: number) => void>;
    emit1(slot, 0);
    slot = addListener(slot, (value) => calls.push(`a${value}`));
    emit1(slot, 1);
    slot = addListener(slot, (value) => calls.push(`b${value}`));
    slot = addListener(slot, (value) => calls.push(`c${value}`));
    emit1(slot, 2);
    assert.deepEqual(calls, ["a1", "a2", "b2", "c2"]);
  });

  it("passes no argument or two arguments through", () => {
    const calls: string[] = [];
    let none: ListenerSlot<() => void>;
    let two: ListenerSlot<(a: string, b: boolean) => void>;
    none = addListener(none, () => calls.push("first"));
    emit0(none);
    none = addListener(none, () => calls.push("second"));
    emit0(none);
    two = addListener(two, (a, b) => calls.push(`${a}:${b}`));
    emit2(two, "x", true);
    two = addListener(two, (a, b) => calls.push(`${a}/${b}`));
    emit2(two, "y", false);
    assert.deepEqual(calls, ["first", "first", "second", "x:true", "y:false", "y/false"]);
  });
});
