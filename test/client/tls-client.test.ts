// The client over TLS to the reference server with a self-signed certificate made for the test:
// trusted through --ca, accepted blindly with --insecure, refused (exit 3) otherwise.
import assert from "node:assert/strict";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { RunningParrotServer } from "../../server/parrot-server.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { makeSelfSignedCert } from "../../tools/launch/self-signed-cert.ts";
import { MANY_TEST_ACCOUNTS } from "../../tools/launch/test-accounts.ts";
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
