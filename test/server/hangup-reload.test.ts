// SIGHUP reloads instead of killing the server (issue 12, defect 7): a renewed TLS certificate
// serves new connections, a changed users file is re-read, sessions already open carry on, and
// one log line says what changed.
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  type ParrotProcess,
  startServerProcess,
  startTestServerProcess,
} from "../../tools/launch/parrot-process.ts";
import { makeSelfSignedCert, type SelfSignedCert } from "../../tools/launch/self-signed-cert.ts";
import { TEST_ACCOUNTS, tempDir, writeFastUsersFile } from "../../tools/launch/test-accounts.ts";
import { RawPeer } from "./raw-peer.ts";

/** Resolves once stderr has `count` lines matching `pattern`; returns the last one. */
function stderrLine(server: ParrotProcess, pattern: RegExp, count = 1): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const lines = server
        .stderr()
        .split("\n")
        .filter((line) => pattern.test(line));
      if (lines.length < count) return;
      server.child.stderr!.off("data", check);
      resolve(lines[count - 1]!);
    };
    server.child.stderr!.on("data", check);
    void server.exited.then((code) => reject(new Error(`exited (${code}):\n${server.stderr()}`)));
    check();
  });
}

/** The certificate's files copied to a directory of their own, for a test to overwrite. */
function copyOf(cert: SelfSignedCert): { certFile: string; keyFile: string } {
  const dir = mkdtempSync(join(cert.dir, "copy-"));
  const files = { certFile: join(dir, "cert.pem"), keyFile: join(dir, "key.pem") };
  copyFileSync(cert.certFile, files.certFile);
  copyFileSync(cert.keyFile, files.keyFile);
  return files;
}

function startTlsServer(files: { certFile: string; keyFile: string }, usersFile: string) {
  const tls = ["--tls-cert", files.certFile, "--tls-key", files.keyFile];
  return startTestServerProcess(tls, { usersFile });
}

describe("SIGHUP", () => {
  let served: SelfSignedCert;
  let renewed: SelfSignedCert;

  before(() => {
    served = makeSelfSignedCert();
    renewed = makeSelfSignedCert();
  });

  after(() => {
    served.remove();
    renewed.remove();
  });

  test("reloads the TLS certificate and the users file, logs what changed, keeps serving", async () => {
    const files = copyOf(served);
    const usersFile = await writeFastUsersFile();
    const server = await startTlsServer(files, usersFile);
    try {
      const open = await RawPeer.connect(server.address, { tls: { ca: served.cert } });
      await open.negotiateAndLogin("user1", "pass1");

      // The operator renews the certificate in place and adds an account, then sends SIGHUP.
      copyFileSync(renewed.certFile, files.certFile);
      copyFileSync(renewed.keyFile, files.keyFile);
      await writeFastUsersFile(
        [...TEST_ACCOUNTS, { name: "carol", password: "sings" }],
        undefined,
      ).then((fresh) => copyFileSync(fresh, usersFile));
      server.child.kill("SIGHUP");
      const line = await stderrLine(server, /SIGHUP: reloaded/);
      assert.match(line, /TLS certificate/);
      assert.match(line, /users file/);

      // Still running; the open session carries on over its old certificate.
      assert.equal((await open.chat(1, "still here")).text, "still here");
      // New connections get the renewed certificate: trusted by its CA, not by the old one.
      const fresh = await RawPeer.connect(server.address, { tls: { ca: renewed.cert } });
      await fresh.negotiateAndLogin("carol", "sings");
      await fresh.logout();
      await assert.rejects(RawPeer.connect(server.address, { tls: { ca: served.cert } }));

      // A second SIGHUP with nothing changed says so.
      server.child.kill("SIGHUP");
      assert.match(await stderrLine(server, /SIGHUP: reloaded/, 2), /nothing changed/);
      await open.logout();
    } finally {
      server.child.kill("SIGTERM");
      assert.equal(await server.exited, 0);
    }
  });

  test("a new log level in the config file applies at once", async () => {
    const dir = await tempDir();
    const config = join(dir, "parrot.yaml");
    writeFileSync(config, `users: ${await writeFastUsersFile()}\nlog-level: info\n`);
    const server = await startServerProcess(["-l", "127.0.0.1", "-p", "0", "--config", config]);
    try {
      writeFileSync(
        config,
        `users: ${await writeFastUsersFile()}\nlog-level: debug\nmax-connections: 5\n`,
      );
      server.child.kill("SIGHUP");
      const line = await stderrLine(server, /SIGHUP: reloaded/);
      assert.match(line, /log level info -> debug/);
      // The users file path is read at start only: its change is reported, not applied.
      assert.match(server.stderr(), /"option":"usersFile".*SIGHUP: this change needs a restart/);
      // So does every option but the log level and the TLS files.
      assert.match(
        server.stderr(),
        /"option":"maxConnections".*SIGHUP: this change needs a restart/,
      );
      // debug logs one line per PDU received.
      const peer = await RawPeer.connect(server.address);
      await peer.negotiate();
      await stderrLine(server, /"msg":"received"/);
      peer.destroy();
    } finally {
      server.child.kill("SIGTERM");
      assert.equal(await server.exited, 0);
    }
  });

  test("a certificate and key that do not match are refused; the old ones keep serving", async () => {
    const files = copyOf(served);
    const server = await startTlsServer(files, await writeFastUsersFile());
    try {
      // Half a renewal: the new key has arrived, the new certificate has not.
      copyFileSync(renewed.keyFile, files.keyFile);
      server.child.kill("SIGHUP");
      assert.match(await stderrLine(server, /not a valid pair/), /keeping the ones loaded/);
      const peer = await RawPeer.connect(server.address, { tls: { ca: served.cert } });
      await peer.negotiateAndLogin("user1", "pass1");
      await peer.logout();
    } finally {
      server.child.kill("SIGTERM");
      assert.equal(await server.exited, 0);
    }
  });
});
