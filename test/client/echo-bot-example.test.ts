// The bot in client/README.md is real: the README shows client/examples/echo-bot.ts as it is,
// and this test runs that file's code against the real reference server, talking to it as a
// second user would.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, test } from "node:test";
import { type ClientSession, connectSession, type SessionEvent } from "../../client/index.ts";
import type { RunningParrotServer } from "../../server/parrot-server.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { MANY_TEST_ACCOUNTS } from "../../tools/launch/test-accounts.ts";
import { REPO_ROOT } from "./client-process.ts";

// The bot imports "parrot-chat/client", which is this repository's source only under node's
// --conditions=parrot-source (the Makefile runs tests so); otherwise it is the compiled dist/ an
// installed package runs, stale or missing here.
const resolved = import.meta.resolve("parrot-chat/client");
assert.ok(
  resolved.endsWith("/client/index.ts"),
  `run with node --conditions=parrot-source --import tsx: parrot-chat/client is ${resolved}`,
);
const { runEchoBot } = await import("../../client/examples/echo-bot.ts");

let target: RunningParrotServer;

before(async () => {
  target = await startTestServer({ accounts: MANY_TEST_ACCOUNTS });
});

after(async () => {
  await target?.close();
});

/** Resolves with the first event of the session that `match` accepts. */
function nextEvent<E extends SessionEvent>(
  session: ClientSession,
  match: (event: SessionEvent) => event is E,
): Promise<E> {
  return new Promise((resolve) => {
    session.onEvent((event) => {
      if (match(event)) resolve(event);
    });
  });
}

describe("the client library's example bot", () => {
  test("client/README.md shows client/examples/echo-bot.ts exactly", async () => {
    const readme = await readFile(`${REPO_ROOT}client/README.md`, "utf8");
    const example = await readFile(`${REPO_ROOT}client/examples/echo-bot.ts`, "utf8");
    assert.ok(readme.includes(`\`\`\`ts\n${example}\`\`\``), "the README's bot is the file's");
  });

  test("logs in, answers a direct message with the same text, and logs out on bye", async () => {
    const peer = await connectSession({ host: "127.0.0.1", port: target.address.port });
    await peer.negotiate([2]);
    assert.equal((await peer.login("user2", "pass2")).status, "OK");
    peer.requests.presence("ON");
    // The server handles a connection's frames in order: once this echo is back, the
    // subscription is in place and the bot's login cannot be missed.
    const subscribed = nextEvent(peer, (event) => event.kind === "echo");
    peer.requests.chat("subscribed?");
    await subscribed;

    const online = nextEvent(
      peer,
      (event): event is Extract<SessionEvent, { kind: "presence" }> =>
        event.kind === "presence" && event.user === "user1" && event.status === "ONLINE",
    );
    const bot = runEchoBot("127.0.0.1", target.address.port, "user1", "pass1");
    await online;

    const reply = nextEvent(
      peer,
      (event): event is Extract<SessionEvent, { kind: "direct-message" }> =>
        event.kind === "direct-message",
    );
    peer.requests.directSend("user1", "hello bot");
    const answered = await reply;
    assert.equal(answered.from, "user1");
    assert.equal(answered.text, "hello bot");

    const offline = nextEvent(
      peer,
      (event): event is Extract<SessionEvent, { kind: "presence" }> =>
        event.kind === "presence" && event.user === "user1" && event.status === "OFFLINE",
    );
    peer.requests.directSend("user1", "bye");
    await bot;
    await offline;
    await peer.logout();
  });
});
