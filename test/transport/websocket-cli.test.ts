// `parrot server --ws-port` and `parrot client --transport ws`, as a user runs them: the server
// prints a listening line per listener, and the terminal client logs in and chats over WebSocket
// while another user is logged in over TCP on the same server.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ConfigError, parseServerConfig } from "../../cli/server/config.ts";
import { type ParrotProcess, startTestServerProcess } from "../../tools/launch/parrot-process.ts";
import { writeFastUsersFile } from "../../tools/launch/test-accounts.ts";
import { runClient } from "../client/client-process.ts";
import { RawPeer } from "../server/raw-peer.ts";

let server: ParrotProcess & { address: { host: string; port: number; transport: string } };
let wsPort: number;

/** Resolves with the port of the `(ws)` listening line once stdout holds it. */
function webSocketPort(running: ParrotProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    const look = () => {
      const match = /^parrot server listening on 127\.0\.0\.1:(\d+) \(ws\)$/m.exec(
        running.stdout(),
      );
      if (match === null) return false;
      resolve(Number(match[1]));
      return true;
    };
    if (look()) return;
    const onData = () => {
      if (look()) running.child.stdout!.off("data", onData);
    };
    running.child.stdout!.on("data", onData);
    void running.exited.then((code) => reject(new Error(`server exited (${code})`)));
  });
}

before(async () => {
  const usersFile = await writeFastUsersFile();
  server = await startTestServerProcess(["--ws-port", "0"], { usersFile });
  wsPort = await webSocketPort(server);
});
after(async () => {
  server.child.kill("SIGTERM");
  await server.exited;
});

describe("parrot over WebSocket from the command line", () => {
  test("the client chats over ws while user2 is on TCP; user2 cannot log in twice", async () => {
    const onTcp = await RawPeer.connect(server.address);
    await onTcp.negotiateAndLogin("user2", "pass2");
    const wsArgs = ["--transport", "ws", "-s", "127.0.0.1", "-p", String(wsPort)];
    const chat = await runClient([...wsArgs, "-u", "user1", "--password-stdin", "--send", "hi"], {
      stdin: "pass1\n",
    });
    assert.equal(chat.code, 0, chat.stderr);
    assert.match(chat.stdout, /hi/);
    const twice = await runClient([...wsArgs, "-u", "user2", "--password-stdin", "--send", "x"], {
      stdin: "pass2\n",
    });
    assert.equal(twice.code, 6, twice.stderr);
    assert.match(twice.stderr, /already logged in/);
    await onTcp.logout();
    await onTcp.closed();
  });

  test("an unknown --transport is a usage error naming the registered ones", async () => {
    const result = await runClient(["--transport", "carrier-pigeon", "-u", "user1"]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /expected one of tcp, tls, .*ws/);
  });
});

describe("--ws-port and --ws-path", () => {
  test("parse into the WebSocket listener's port and path; a path alone or a bad path is refused", () => {
    const config = parseServerConfig(["--ws-port", "8080", "--ws-path", "/chat"], {});
    assert.deepEqual(config !== "help" && config.webSocket, { port: 8080, path: "/chat" });
    const fromEnv = parseServerConfig([], { PARROT_WS_PORT: "0" });
    assert.deepEqual(fromEnv !== "help" && fromEnv.webSocket, { port: 0, path: "/" });
    assert.throws(() => parseServerConfig(["--ws-path", "/chat"], {}), ConfigError);
    assert.throws(
      () => parseServerConfig(["--ws-port", "1", "--ws-path", "chat"], {}),
      /HTTP path/,
    );
    assert.throws(() => parseServerConfig(["--ws-port", "70000"], {}), /--ws-port/);
  });
});
