// The client in interactive mode, under a real pseudo-terminal (util-linux `script`), typed at
// the way a person would: the test waits for each prompt before typing, never for a fixed time.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { LIMITS } from "../../generated/index.ts";
import { DEFAULT_VERSIONS, type RunningParrotServer } from "../../server/parrot-server.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { MANY_TEST_ACCOUNTS } from "../../tools/launch/test-accounts.ts";
import type { PduChannel } from "../../transport/pdu-channel.ts";
import { startFakeServer, versionOneServer } from "./fake-server.ts";
import { hasScript, TerminalSession } from "./terminal-session.ts";

let target: RunningParrotServer;

before(async () => {
  target = await startTestServer({ accounts: MANY_TEST_ACCOUNTS });
});

after(async () => {
  await target?.close();
});

const clientArgs = () => ["-s", "127.0.0.1", "-p", String(target.address.port)];

describe("interactive client on a terminal", {
  skip: !hasScript && "util-linux script is not installed",
}, () => {
  test("prompts, hides the password, shows the echo, /quit logs out with exit 0", async () => {
    const terminal = new TerminalSession(clientArgs());
    await terminal.waitFor("username: ");
    terminal.type("user1\r");
    await terminal.waitFor("password: ");
    terminal.type("pass1\r");
    await terminal.waitFor("user1> ");
    terminal.type("hello parrot\r");
    await terminal.waitFor("echo: hello parrot");
    terminal.type("/quit\r");
    assert.equal(await terminal.exitCode, 0, terminal.output);
    assert.match(terminal.output, /logged out/);
    assert.ok(
      !terminal.output.includes("pass1"),
      `password echoed: ${JSON.stringify(terminal.output)}`,
    );
  });

  test("no common version: the server's versions are shown, exit 4, no password sent", async () => {
    const terminal = new TerminalSession([...clientArgs(), "--versions", "9", "--user", "user1"]);
    await terminal.waitFor("password: ");
    terminal.type("pass1\r");
    assert.equal(await terminal.exitCode, 4, terminal.output);
    assert.ok(
      terminal.output.includes(`offered 9, the server speaks ${DEFAULT_VERSIONS.join(",")}\r\n`),
      terminal.output,
    );
    assert.ok(!terminal.output.includes("logged in"), terminal.output);
  });

  test("asks for the credentials before it connects, so no handshake timer runs while a person types", async () => {
    const fake = await startFakeServer(versionOneServer());
    try {
      const terminal = new TerminalSession(["-s", "127.0.0.1", "-p", String(fake.port)]);
      await terminal.waitFor("username: ");
      terminal.type("user1\r");
      await terminal.waitFor("password: ");
      assert.equal(fake.received.length, 0, "nothing sent before the password is typed");
      terminal.type("pass1\r");
      await terminal.waitFor("user1> ");
      assert.deepEqual(
        fake.received.map((pdu) => pdu.type),
        ["VERSION_REQUEST", "LOGIN_REQUEST"],
      );
      terminal.type("/quit\r");
      assert.equal(await terminal.exitCode, 0, terminal.output);
    } finally {
      await fake.close();
    }
  });

  test("a connection the server closed while a retry was typed is made again before the retry", async () => {
    // The first connection refuses the password, then times the handshake out at once.
    const refusedOn = new Set<PduChannel>();
    const fake = await startFakeServer((pdu, channel) => {
      if (pdu.type === "LOGIN_REQUEST" && refusedOn.size === 0) {
        refusedOn.add(channel);
        channel.send({ type: "LOGIN_RESPONSE", version: 1, status: "BAD_CREDENTIALS", text: "" });
        channel.send({ type: "ERROR", version: 1, code: "HANDSHAKE_TIMEOUT", text: "" });
        void channel.close();
        return;
      }
      versionOneServer()(pdu, channel);
    });
    try {
      const terminal = new TerminalSession(["-s", "127.0.0.1", "-p", String(fake.port)]);
      await terminal.waitFor("username: ");
      terminal.type("user1\r");
      await terminal.waitFor("password: ");
      terminal.type("bad-guess\r");
      await terminal.waitFor("try again");
      await terminal.waitFor("username: ");
      terminal.type("user1\r");
      await terminal.waitFor("password: ");
      terminal.type("pass1\r");
      await terminal.waitFor("reconnecting");
      await terminal.waitFor("user1> ");
      terminal.type("/quit\r");
      assert.equal(await terminal.exitCode, 0, terminal.output);
      const versionRequests = fake.received.filter((pdu) => pdu.type === "VERSION_REQUEST");
      assert.equal(versionRequests.length, 2, "connected twice");
    } finally {
      await fake.close();
    }
  });

  test("after the last bad password allowed it does not say try again, and exits 5 with code 207", async () => {
    const terminal = new TerminalSession(clientArgs());
    for (let attempt = 1; attempt <= LIMITS.maxLoginAttempts; attempt += 1) {
      await terminal.waitFor("username: ");
      terminal.type("user2\r");
      await terminal.waitFor("password: ");
      terminal.type(`wrong${attempt}\r`);
      await terminal.waitFor("bad username or password");
    }
    assert.equal(await terminal.exitCode, 5, terminal.output);
    const afterLast = terminal.output.slice(
      terminal.output.lastIndexOf("bad username or password"),
    );
    assert.doesNotMatch(afterLast, /try again|username:/);
    assert.match(afterLast, /server error 207 TOO_MANY_LOGIN_ATTEMPTS/);
  });

  test("a wrong password can be retried; Ctrl+C at the chat prompt logs out cleanly", async () => {
    const terminal = new TerminalSession(clientArgs());
    await terminal.waitFor("username: ");
    terminal.type("user2\r");
    await terminal.waitFor("password: ");
    terminal.type("bad-guess\r");
    await terminal.waitFor("bad username or password");
    await terminal.waitFor("username: ");
    terminal.type("user2\r");
    await terminal.waitFor("password: ");
    terminal.type("pass2\r");
    await terminal.waitFor("user2> ");
    terminal.type("half-typed");
    terminal.type("\x03");
    assert.equal(await terminal.exitCode, 0, terminal.output);
    assert.match(terminal.output, /logged out/);
    assert.ok(
      !/bad-guess|pass2/.test(terminal.output),
      `password echoed: ${JSON.stringify(terminal.output)}`,
    );
  });
});
