// Version 2 in interactive mode, on a real pseudo-terminal, with a scripted client as the other
// party: typing a /msg shows the peer "is typing" and sending it stops that; the peer's typing
// shows on the status line; rooms and room mode; a v1 session refuses v2 commands. Every step
// waits for what the terminal or the peer shows, never for a fixed time.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { RunningParrotServer } from "../../server/parrot-server.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { MANY_TEST_ACCOUNTS } from "../../tools/launch/test-accounts.ts";
import { ScriptedPeer } from "./scripted-peer.ts";
import { hasScript, TerminalSession } from "./terminal-session.ts";

let target: RunningParrotServer;

before(async () => {
  target = await startTestServer({ accounts: MANY_TEST_ACCOUNTS });
});

after(async () => {
  await target?.close();
});

async function logIn(terminal: TerminalSession, user: string, password: string): Promise<void> {
  await terminal.waitFor("password: ");
  terminal.type(`${password}\r`);
  await terminal.waitFor(`${user}> `);
}

describe("interactive client, protocol v2", {
  skip: !hasScript && "util-linux script is not installed",
  concurrency: 2,
}, () => {
  test("typing indicators both ways, DMs and room mode", { timeout: 60_000 }, async () => {
    const peer = new ScriptedPeer("user1", target.address.port, "pass1");
    // The echo proves the login, and that the subscription before it was handled. (Not /who: the
    // other test's client may be online too.)
    peer.type("/presence on");
    peer.type("subscribed");
    await peer.waitFor("subscribed");
    const terminal = new TerminalSession([
      "-s",
      "127.0.0.1",
      "-p",
      String(target.address.port),
      "-u",
      "user2",
    ]);
    await logIn(terminal, "user2", "pass2");
    await peer.waitFor("* user2 is online");

    // Half a /msg line is typing to its recipient; Enter sends it and stops the indicator.
    terminal.type("/msg user1 hel");
    await peer.waitFor("* user2 is typing");
    terminal.type("lo\r");
    await peer.waitFor("[dm from user2] hello");
    await peer.waitFor("* user2 stopped typing");
    await terminal.waitFor("[dm to user1] delivered");

    // The peer's typing shows on the status line; its messages above the prompt.
    peer.type("/typing user2");
    await terminal.waitFor("user1 is typing…");
    peer.type("/msg user2 yo");
    await terminal.waitFor("[dm from user1] yo");
    peer.type("/typing-stop user2");

    terminal.type("/join lobby\r");
    await terminal.waitFor("[#lobby] joined");
    terminal.type("/room lobby\r");
    await terminal.waitFor("user2 #lobby> ");
    terminal.type("hi room\r");
    await terminal.waitFor("[#lobby user2] hi room");
    terminal.type("/quit\r");
    assert.equal(await terminal.exitCode, 0, terminal.output);
    await peer.waitFor("* user2 is offline");
    const peerRun = await peer.end();
    assert.equal(peerRun.code, 0, peerRun.stderr);
  });

  test("a --versions 1 session refuses v2 commands and keeps the echo", {
    timeout: 60_000,
  }, async () => {
    const terminal = new TerminalSession([
      "-s",
      "127.0.0.1",
      "-p",
      String(target.address.port),
      "-u",
      "user3",
      "--versions",
      "1",
    ]);
    // The credentials come first; the connection, and the version it agrees, after them.
    await terminal.waitFor("password: ");
    terminal.type("pass3\r");
    await terminal.waitFor("protocol version 1");
    await terminal.waitFor("user3> ");
    terminal.type("/join lobby\r");
    await terminal.waitFor("/join needs protocol v2; this session negotiated v1");
    terminal.type("still here\r");
    await terminal.waitFor("echo: still here");
    terminal.type("/quit\r");
    assert.equal(await terminal.exitCode, 0, terminal.output);
  });
});
