// A client that negotiated version 1 (--versions 1, or a version-1 server) never sends a
// version-2 PDU: every version-2 command says it needs v2 and nothing goes on the wire. Checked
// on the wire with a fake version-1 server that records what it receives.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ChatCommands } from "../../cli/client/chat-commands.ts";
import { parseChatInput } from "../../cli/client/chat-input.ts";
import { connectSession } from "../../client/connect-session.ts";
import { MESSAGE_RULES, type Pdu } from "../../generated/index.ts";
import { runClient } from "./client-process.ts";
import { type FakeServer, startFakeServer, versionOneServer } from "./fake-server.ts";

const V2_COMMANDS = [
  "/msg user2 hi",
  "/join lobby",
  "/leave lobby",
  "/say lobby hi",
  "/room lobby",
  "/rooms",
  "/who",
  "/who lobby",
  "/typing user2",
  "/typing-stop #lobby",
  "/presence on",
];

function onlyVersionOne(received: Pdu[]): void {
  const v2 = received.filter((pdu) => MESSAGE_RULES[pdu.type].since > 1);
  assert.deepEqual(v2, [], "no version-2 PDU on a version-1 connection");
}

describe("a version-1 session never sends a version-2 PDU", () => {
  let fake: FakeServer;
  before(async () => {
    fake = await startFakeServer(versionOneServer());
  });
  after(async () => {
    await fake.close();
  });

  test("every version-2 command is refused with 'needs protocol v2'; v1 commands still work", async () => {
    const session = await connectSession({
      host: "127.0.0.1",
      port: fake.port,
      tls: false,
      caFile: undefined,
      insecure: false,
    });
    await session.negotiate([1, 2]);
    await session.login("user1", "pass1");
    const remarks: string[] = [];
    const commands = new ChatCommands(session, (line) => remarks.push(line));
    for (const line of V2_COMMANDS) {
      const outcome = commands.run(parseChatInput(line));
      assert.equal(outcome.kind, "refused", line);
      if (outcome.kind === "refused") {
        assert.match(outcome.message, /needs protocol v2; this session negotiated v1$/, line);
      }
    }
    assert.deepEqual(commands.run(parseChatInput("/msg user2 hi")), {
      kind: "refused",
      message: "/msg needs protocol v2; this session negotiated v1",
    });
    assert.deepEqual(commands.run(parseChatInput("/typing-stop user2")), {
      kind: "refused",
      message: "/typing-stop needs protocol v2; this session negotiated v1",
    });
    // Leaving room mode needs nothing, and plain lines are still echoed.
    assert.equal(commands.run(parseChatInput("/room")).kind, "done");
    const echoes: string[] = [];
    session.onEvent((event) => {
      if (event.kind === "echo") echoes.push(event.text);
    });
    assert.equal(commands.run(parseChatInput("still v1")).kind, "done");
    await commands.typing.flushed();
    await session.logout();
    assert.deepEqual(echoes, ["still v1"]);
    assert.equal(commands.currentRoom, undefined);
    onlyVersionOne(fake.received);
  });

  test("scripted, on a v1 server: a v2 command stops the input with exit 2, after the lines before it", async () => {
    const before = fake.received.length;
    const run = await runClient(
      ["-s", "127.0.0.1", "-p", String(fake.port), "--user", "user1", "--password-stdin"],
      { stdin: "pass1\nhello\n/join lobby\nnever sent\n" },
    );
    assert.equal(run.code, 2, run.stderr);
    assert.equal(run.stdout, "hello\n");
    assert.match(
      run.stderr,
      /stdin line 3: \/join needs protocol v2; this session negotiated v1 \(not sent; stopped\)/,
    );
    const received = fake.received.slice(before);
    assert.ok(!received.some((pdu) => pdu.type === "CHAT" && pdu.text === "never sent"));
    onlyVersionOne(received);
  });
});

describe("a version-2 PDU arriving on a version-1 connection", () => {
  test("is refused with ERROR UNSUPPORTED_IN_VERSION and shown nowhere on stdout (REQ-12.4)", async () => {
    const fake = await startFakeServer(
      versionOneServer((channel) =>
        channel.send({
          type: "DIRECT_MESSAGE",
          version: 1,
          messageId: 1,
          from: "user2",
          text: "you should not see this",
        }),
      ),
    );
    try {
      const run = await runClient(
        ["-s", "127.0.0.1", "-p", String(fake.port), "--user", "user1", "--versions", "1"],
        { env: { PARROT_PASSWORD: "pass1" }, stdin: "after it\n" },
      );
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, "after it\n");
      assert.match(run.stderr, /UNSUPPORTED_IN_VERSION/);
      const error = fake.received.find((pdu) => pdu.type === "ERROR");
      assert.equal(error?.type === "ERROR" ? error.code : undefined, "UNSUPPORTED_IN_VERSION");
      assert.deepEqual(fake.received[0], { type: "VERSION_REQUEST", version: 0, versions: [1] });
    } finally {
      await fake.close();
    }
  });
});
