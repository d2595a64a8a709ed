// The output lines scripts parse (client/event-line.ts), one per event, as README.md documents.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { eventLine, typingLine, typingStatus } from "../../cli/client/event-line.ts";

describe("output lines", () => {
  test("echo, direct messages and their delivery", () => {
    assert.equal(eventLine({ kind: "echo", messageId: 1, text: "hello" }), "hello");
    assert.equal(
      eventLine({ kind: "direct-message", messageId: 3, from: "user2", text: "hi" }),
      "[dm from user2] hi",
    );
    assert.equal(
      eventLine({ kind: "direct-status", messageId: 3, to: "user2", status: "DELIVERED" }),
      "[dm to user2] delivered",
    );
    assert.equal(
      eventLine({ kind: "direct-status", messageId: 4, to: "user9", status: "NOT_DELIVERED" }),
      "[dm to user9] not delivered",
    );
  });

  test("rooms: messages, events and every result", () => {
    assert.equal(
      eventLine({ kind: "room-message", messageId: 5, room: "lobby", from: "user1", text: "yo" }),
      "[#lobby user1] yo",
    );
    assert.equal(
      eventLine({ kind: "room-event", room: "lobby", user: "user3", event: "JOINED" }),
      "* user3 joined #lobby",
    );
    assert.equal(
      eventLine({ kind: "room-event", room: "lobby", user: "user3", event: "LEFT" }),
      "* user3 left #lobby",
    );
    const result = (request: "ROOM_JOIN" | "ROOM_LEAVE" | "ROOM_SAY" | "TYPING", status: string) =>
      eventLine({ kind: "room-result", request, room: "a", status: status as "OK" });
    assert.equal(result("ROOM_JOIN", "OK"), "[#a] joined");
    assert.equal(result("ROOM_LEAVE", "OK"), "[#a] left");
    assert.equal(result("ROOM_SAY", "NOT_MEMBER"), "[#a] not a member");
    assert.equal(result("TYPING", "NOT_MEMBER"), "[#a] not a member");
    assert.equal(result("ROOM_JOIN", "ALREADY_MEMBER"), "[#a] already a member");
    assert.equal(result("ROOM_JOIN", "TOO_MANY_ROOMS"), "[#a] in too many rooms");
    assert.equal(result("ROOM_JOIN", "ROOM_FULL"), "[#a] room full");
    assert.equal(result("ROOM_JOIN", "BAD_ROOM_NAME"), "[#a] bad room name");
  });

  test("lists: names joined by ', ', an empty one marked, a cut-short one ending in '...'", () => {
    assert.equal(
      eventLine({ kind: "room-list", rooms: ["a", "b"], complete: true }),
      "rooms: a, b",
    );
    assert.equal(eventLine({ kind: "room-list", rooms: [], complete: true }), "rooms: (none)");
    assert.equal(eventLine({ kind: "room-list", rooms: ["a"], complete: false }), "rooms: a, ...");
    const who = { kind: "who-list", status: "OK", complete: true } as const;
    assert.equal(eventLine({ ...who, room: "", names: ["u1", "u2", "u3"] }), "who: u1, u2, u3");
    assert.equal(eventLine({ ...who, room: "lobby", names: ["u1", "u2"] }), "who #lobby: u1, u2");
    assert.equal(
      eventLine({ ...who, room: "gone", status: "NO_SUCH_ROOM", names: [] }),
      "[#gone] no such room",
    );
  });

  test("typing and presence", () => {
    assert.equal(typingLine("user2", "lobby", true), "* user2 is typing in #lobby");
    assert.equal(typingLine("user2", "", true), "* user2 is typing");
    assert.equal(typingLine("user2", "lobby", false), "* user2 stopped typing in #lobby");
    assert.equal(typingLine("user2", "", false), "* user2 stopped typing");
    assert.equal(
      eventLine({ kind: "presence", user: "user2", status: "ONLINE" }),
      "* user2 is online",
    );
    assert.equal(
      eventLine({ kind: "presence", user: "user2", status: "OFFLINE" }),
      "* user2 is offline",
    );
  });

  test("the interactive status line names everyone typing", () => {
    assert.equal(typingStatus([]), undefined);
    assert.equal(typingStatus([{ from: "user2", room: "" }]), "user2 is typing…");
    assert.equal(
      typingStatus([
        { from: "user2", room: "" },
        { from: "user3", room: "lobby" },
      ]),
      "user2, user3 in #lobby are typing…",
    );
  });

  test("control characters from other users cannot split a line or drive the terminal", () => {
    const line = eventLine({
      kind: "direct-message",
      messageId: 1,
      from: "mallory",
      text: "two\nlines \x1b[2J\r\x7f\x9b tab\tkept",
    });
    assert.equal(line, "[dm from mallory] two\\x0alines \\x1b[2J\\x0d\\x7f\\x9b tab\tkept");
    assert.ok(!line.includes("\n"));
  });
});
