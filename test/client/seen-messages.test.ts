// SeenMessages: what the version-3 client uses to show each message once (REQ-15.17) and to say
// where a resume starts (spec §15.4). Pure bookkeeping, judged directly.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { SeenMessages } from "../../client/seen-messages.ts";

describe("SeenMessages", () => {
  test("a second copy of the same room and id is not new; another room or id is", () => {
    const seen = new SeenMessages();
    assert.equal(seen.record("ROOM", "den", { epoch: 7, seq: 1 }), true);
    assert.equal(seen.record("ROOM", "den", { epoch: 7, seq: 1 }), false);
    assert.equal(seen.record("ROOM", "lab", { epoch: 7, seq: 1 }), true);
    assert.equal(seen.record("USER", "den", { epoch: 7, seq: 1 }), true);
    // Out of order (a replay page after a live message) is still new.
    assert.equal(seen.record("ROOM", "den", { epoch: 7, seq: 3 }), true);
    assert.equal(seen.record("ROOM", "den", { epoch: 7, seq: 2 }), true);
    assert.deepEqual(seen.last("ROOM", "den"), { epoch: 7, seq: 3 });
  });

  test("a new epoch forgets the old one: its seqs count from scratch", () => {
    const seen = new SeenMessages();
    seen.record("ROOM", "den", { epoch: 7, seq: 5 });
    assert.equal(seen.record("ROOM", "den", { epoch: 9, seq: 5 }), true);
    assert.deepEqual(seen.last("ROOM", "den"), { epoch: 9, seq: 5 });
    assert.equal(seen.last("ROOM", "lab"), undefined);
  });

  test("startAt notes where a room stood: older ids are not news, newer ones are", () => {
    const seen = new SeenMessages();
    seen.startAt("ROOM", "den", { epoch: 4, seq: 10 });
    assert.deepEqual(seen.last("ROOM", "den"), { epoch: 4, seq: 10 });
    assert.equal(seen.record("ROOM", "den", { epoch: 4, seq: 10 }), false);
    assert.equal(seen.record("ROOM", "den", { epoch: 4, seq: 11 }), true);
    // Once the epoch is known, a later startAt (a late cursor page) changes nothing.
    seen.startAt("ROOM", "den", { epoch: 4, seq: 2 });
    assert.deepEqual(seen.last("ROOM", "den"), { epoch: 4, seq: 11 });
  });
});
