// Lines → commands, as both modes read them (client/chat-input.ts): what each command takes, how
// text is kept byte for byte, and every mistake caught before anything is sent.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { COMMANDS, commandHelp, composingTo, parseChatInput } from "../../cli/client/chat-input.ts";

function invalid(line: string): string {
  const input = parseChatInput(line);
  assert.equal(input.kind, "invalid", `${JSON.stringify(line)} should be refused`);
  return input.kind === "invalid" ? input.message : "";
}

describe("chat input: plain lines and the slash escape", () => {
  test("a line without a leading slash is text, exactly as typed (empty and spaces included)", () => {
    for (const text of ["hello", "", "  spaced  ", "a/b", "żółw 🦜", " /not first"]) {
      assert.deepEqual(parseChatInput(text), { kind: "text", text });
    }
  });

  test("'//' sends a line starting with '/': only the first slash is dropped", () => {
    assert.deepEqual(parseChatInput("//msg user2 hi"), { kind: "text", text: "/msg user2 hi" });
    assert.deepEqual(parseChatInput("//"), { kind: "text", text: "/" });
    assert.deepEqual(parseChatInput("///x"), { kind: "text", text: "//x" });
  });

  test("text over 4096 bytes is refused whichever way it is sent", () => {
    const long = "é".repeat(2049); // 4098 bytes
    assert.match(invalid(long), /4098 bytes; a message may be at most 4096/);
    assert.match(invalid(`/msg user2 ${long}`), /4098 bytes/);
    assert.match(invalid(`/say lobby ${long}`), /4098 bytes/);
    assert.deepEqual(parseChatInput("é".repeat(2048)), { kind: "text", text: "é".repeat(2048) });
  });
});

describe("chat input: commands", () => {
  test("/msg USER TEXT: TEXT is everything after the space that ends USER", () => {
    assert.deepEqual(parseChatInput("/msg user2 hi there"), {
      kind: "msg",
      to: "user2",
      text: "hi there",
    });
    assert.deepEqual(parseChatInput("/msg   user2  two spaces "), {
      kind: "msg",
      to: "user2",
      text: " two spaces ",
    });
    assert.deepEqual(parseChatInput("/msg user2 "), { kind: "msg", to: "user2", text: "" });
    assert.equal(invalid("/msg user2"), "usage: /msg USER TEXT");
    assert.equal(invalid("/msg"), "usage: /msg USER TEXT");
  });

  test("room arguments take an optional '#'", () => {
    assert.deepEqual(parseChatInput("/join lobby"), { kind: "join", room: "lobby" });
    assert.deepEqual(parseChatInput("/join #lobby"), { kind: "join", room: "lobby" });
    assert.deepEqual(parseChatInput("/leave #lobby "), { kind: "leave", room: "lobby" });
    assert.deepEqual(parseChatInput("/say #lobby hi all"), {
      kind: "say",
      room: "lobby",
      text: "hi all",
    });
    assert.deepEqual(parseChatInput("/who #lobby"), { kind: "who", room: "lobby" });
    assert.deepEqual(parseChatInput("/room #lobby"), { kind: "room", room: "lobby" });
  });

  test("/history: #ROOM is a room, a bare name the direct conversation with that user", () => {
    assert.deepEqual(parseChatInput("/history #lobby 5"), {
      kind: "history",
      target: { kind: "ROOM", name: "lobby" },
      count: 5,
    });
    assert.deepEqual(parseChatInput("/history user2"), {
      kind: "history",
      target: { kind: "USER", name: "user2" },
      count: 20,
    });
    assert.equal(invalid("/history"), "usage: /history #ROOM|USER [N]");
    assert.equal(invalid("/history user2 0"), "usage: /history #ROOM|USER [N], N from 1 to 200");
  });

  test("optional and absent arguments", () => {
    assert.deepEqual(parseChatInput("/who"), { kind: "who", room: "" });
    assert.deepEqual(parseChatInput("/room"), { kind: "room", room: undefined });
    assert.deepEqual(parseChatInput("/rooms"), { kind: "rooms" });
    assert.deepEqual(parseChatInput("/help"), { kind: "help" });
    assert.deepEqual(parseChatInput("/quit"), { kind: "quit" });
    assert.equal(invalid("/rooms all"), "usage: /rooms");
    assert.equal(invalid("/who a b"), "usage: /who [ROOM]");
    assert.equal(invalid("/join"), "usage: /join ROOM");
    assert.equal(invalid("/join a b"), "usage: /join ROOM");
    assert.equal(invalid("/quit now"), "usage: /quit");
  });

  test("/typing and /typing-stop: a user, or a room written with '#'", () => {
    assert.deepEqual(parseChatInput("/typing user2"), {
      kind: "typing",
      target: { kind: "USER", name: "user2" },
      state: "STARTED",
    });
    assert.deepEqual(parseChatInput("/typing-stop #lobby"), {
      kind: "typing",
      target: { kind: "ROOM", name: "lobby" },
      state: "STOPPED",
    });
    assert.equal(invalid("/typing"), "usage: /typing USER|#ROOM");
    assert.match(invalid("/typing #"), /room name cannot be empty/);
  });

  test("/presence on|off", () => {
    assert.deepEqual(parseChatInput("/presence on"), { kind: "presence", enabled: "ON" });
    assert.deepEqual(parseChatInput("/presence off"), { kind: "presence", enabled: "OFF" });
    assert.equal(invalid("/presence yes"), "usage: /presence on|off");
  });

  test("names that cannot be encoded (over 32 bytes) are refused before sending", () => {
    const long = "x".repeat(33);
    assert.match(invalid(`/msg ${long} hi`), /user name is at most 32 bytes/);
    assert.match(invalid(`/join ${long}`), /room name is at most 32 bytes/);
    assert.match(invalid(`/typing #${long}`), /room name is at most 32 bytes/);
    assert.match(invalid(`/typing ${long}`), /user name is at most 32 bytes/);
    assert.deepEqual(parseChatInput(`/join ${"x".repeat(32)}`), {
      kind: "join",
      room: "x".repeat(32),
    });
  });

  test("a name the server will refuse is still sent: the server judges room names", () => {
    assert.deepEqual(parseChatInput("/join bad!name"), { kind: "join", room: "bad!name" });
  });

  test("unknown commands and wrong case are refused, pointing at /help", () => {
    assert.equal(invalid("/nope"), "unknown command /nope; /help lists commands");
    assert.equal(invalid("/MSG user2 hi"), "unknown command /MSG; /help lists commands");
    assert.equal(invalid("/"), "unknown command /; /help lists commands");
  });

  test("/help lists every command", () => {
    const help = commandHelp();
    for (const command of COMMANDS) assert.ok(help.includes(command.usage), command.usage);
    assert.match(help, /\/\/text/);
  });
});

describe("chat input: whom a half-typed line addresses (the typing indicator)", () => {
  test("a /msg or /say with text, or plain text in room mode", () => {
    assert.deepEqual(composingTo("/msg user2 he", undefined), { kind: "USER", name: "user2" });
    assert.deepEqual(composingTo("/say #lobby he", undefined), { kind: "ROOM", name: "lobby" });
    assert.deepEqual(composingTo("he", "lobby"), { kind: "ROOM", name: "lobby" });
  });

  test("nobody while there is no text yet, in echo mode, or for other commands", () => {
    assert.equal(composingTo("/msg user2", undefined), undefined);
    assert.equal(composingTo("/msg user2 ", undefined), undefined);
    assert.equal(composingTo("", "lobby"), undefined);
    assert.equal(composingTo("hello", undefined), undefined);
    assert.equal(composingTo("/join lobby", "lobby"), undefined);
  });
});
