// Lists in ROOM_LIST and WHO_LIST are sorted by the names' UTF-8 bytes (spec §12.2), which is not
// what JavaScript's default string order gives for characters outside the BMP.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { compareNames, pageOf, sortNames } from "../../server/name-list.ts";

test("compareNames orders any two strings as their UTF-8 bytes compare", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary" }), fc.string({ unit: "binary" }), (a, b) => {
      const bytes = Math.sign(Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8")));
      assert.equal(Math.sign(compareNames(a, b)), bytes);
    }),
    { numRuns: 2000 },
  );
});

test("a name beyond the BMP sorts after U+FFFD, unlike the default sort", () => {
  const names = ["😀bob", "\uFFFDzed", "alice", "Zoe"];
  assert.deepEqual(sortNames(names), ["Zoe", "alice", "\uFFFDzed", "😀bob"]);
  assert.deepEqual([...names].sort(), ["Zoe", "alice", "😀bob", "\uFFFDzed"]);
});

test("pageOf: the total, at most 200 from the offset, none past the end", () => {
  const names = Array.from({ length: 450 }, (_, i) => `n${String(i).padStart(3, "0")}`);
  assert.deepEqual(pageOf(names, 0).names, names.slice(0, 200));
  assert.deepEqual(pageOf(names, 400), { total: 450, names: names.slice(400) });
  assert.deepEqual(pageOf(names, 450), { total: 450, names: [] });
  assert.deepEqual(pageOf(names, 0xffff_ffff), { total: 450, names: [] });
});
