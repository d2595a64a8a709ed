// The client over TLS to the reference server with a self-signed certificate made for the test:
// trusted through --ca, accepted blindly with --insecure, refused (exit 3) otherwise.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ClientFailure } from "../../client/client-failure.ts";
import { connectSession } from "../../client/connect-session.ts";
import type { RunningParrotServer } from "../../server/parrot-server.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { makeSelfSignedCert } from "../../tools/launch/self-signed-cert.ts";
import { MANY_TEST_ACCOUNTS } from "../../tools/launch/test-accounts.ts";
import "../../transport/all-dialers.ts";
import { listenWebSocket } from "../../transport/websocket/websocket-listener.ts";
import { runClient } from "./client-process.ts";

let dir: string;
let certFile: string;
let target: RunningParrotServer;

before(async () => {
  const cert = makeSelfSignedCert();
  dir = cert.dir;
  certFile = cert.certFile;
  const keyFile = cert.keyFile;
  target = await startTestServer({
    accounts: MANY_TEST_ACCOUNTS,
    tls: { cert: await readFile(certFile), key: await readFile(keyFile) },
  });
});

after(async () => {
  await target?.close();
  await rm(dir, { recursive: true, force: true });
});

function args(user: string, ...tlsFlags: string[]): string[] {
  return [
    "-s",
    "127.0.0.1",
    "-p",
    String(target.address.port),
    "--user",
    user,
    "--send",
    "over TLS",
    ...tlsFlags,
  ];
}

describe("client over TLS", { concurrency: 3 }, () => {
  test("--ca with the server's self-signed certificate: verified, chats, exit 0", async () => {
    const run = await runClient(args("user1", "--ca", certFile), {
      env: { PARROT_PASSWORD: "pass1" },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, "over TLS\n");
  });

  test("--insecure skips verification: chats, exit 0", async () => {
    const run = await runClient(args("user2", "--insecure"), { env: { PARROT_PASSWORD: "pass2" } });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, "over TLS\n");
  });

  test("--tls alone does not trust a self-signed certificate: exit 3, nothing sent", async () => {
    const run = await runClient(args("carol", "--tls"), { env: { PARROT_PASSWORD: "carol-pw" } });
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stderr, /TLS handshake .* failed/);
    assert.equal(run.stdout, "");
  });

  test("an unreadable --ca file is a usage error (exit 2)", async () => {
    const run = await runClient(args("dave", "--ca", join(dir, "missing.pem")), {
      env: { PARROT_PASSWORD: "dave-pw" },
    });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /cannot read --ca/);
  });
});

// Issue 12 defect 6: a TLS port drops a plaintext client without a word (EOF ~1.5 ms after
// connecting); the client says what was likely wrong.
describe("a plaintext client on a TLS port", () => {
  test("over TCP: the connection ends before any PDU, and the client says to try --tls", async () => {
    const run = await runClient(args("user1"), { env: { PARROT_PASSWORD: "pass1" } });
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /the server may expect TLS: try --tls/);
    assert.equal(run.stdout, "");
  });

  test("over WebSocket (ws to a wss port): the upgrade is dropped, and the failure says to try --tls", async () => {
    const cert = makeSelfSignedCert();
    const secure = await startTestServer({
      listeners: [
        () =>
          listenWebSocket({
            host: "127.0.0.1",
            port: 0,
            tls: { cert: readFileSync(cert.certFile), key: readFileSync(cert.keyFile) },
          }),
      ],
    });
    try {
      await assert.rejects(
        connectSession({ host: "127.0.0.1", port: secure.address.port, transport: "ws" }),
        (error: unknown) =>
          error instanceof ClientFailure &&
          error.reason === "CANNOT_CONNECT" &&
          /the server may expect TLS: try --tls/.test(error.message),
      );
    } finally {
      await secure.close();
      await rm(cert.dir, { recursive: true, force: true });
    }
  });

  test("a server that answered before closing gets no such hint", async () => {
    const plain = await startTestServer();
    try {
      const session = await connectSession({ host: "127.0.0.1", port: plain.address.port });
      await session.negotiate([1]);
      const ending = session.ended;
      await plain.close();
      const failure = await ending;
      assert.ok(failure instanceof ClientFailure, String(failure));
      assert.doesNotMatch(failure.message, /try --tls/);
    } finally {
      await plain.close().catch(() => {});
    }
  });
});
