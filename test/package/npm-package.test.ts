// The npm package as a user gets it (issue 12): `npm pack`, installed into an empty directory
// (offline), runs `parrot server`, `parrot client` and `parrot conformance --target` from its
// compiled JavaScript, with only the run-time dependencies installed (no tsx); and
// `npx --package <tarball> parrot server` works in an empty directory.
//
// npx installs a package it does not find into its own cache, `<npm cache>/_npx/<hash of the
// spec>`, resolving the dependencies from the registry's metadata, which an offline machine does
// not have. So the one install this file makes (installOffline: from npm's cache, by the
// repository's lock file) is made where npx looks, in an npm cache of the test's own whose
// `_cacache` is the machine's: npx then finds the package installed and runs it, which is what
// it does on a user's machine after its download. Everything after the download is npx's own.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { once } from "node:events";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { accountLines, loadAccounts } from "../../conformance/support/accounts.ts";
import { runParrot, startServerProcess } from "../../tools/launch/parrot-process.ts";
import { installOffline } from "./offline-install.ts";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const ACCOUNTS = join(ROOT, "conformance", "fixtures", "accounts.json");

let work: string;
let tarball: string;
let files: string[];
let parrot: string;
let npxDir: string;
/** `npx --package <tarball> parrot`, offline. */
let npxParrot: string;

before(async () => {
  work = mkdtempSync(join(tmpdir(), "parrot-package-test-"));
  const packs = join(work, "packs");
  const install = join(work, "install");
  await run("mkdir", ["-p", packs]);
  // prepack builds dist/ first, as it does for any `npm pack` or publish.
  await run("npm", ["pack", "--pack-destination", packs, "--loglevel=error"], {
    cwd: ROOT,
    timeout: 600_000,
  });
  const packed = readdirSync(packs).filter((name) => name.endsWith(".tgz"));
  assert.equal(packed.length, 1, `one tarball: ${packed.join(", ")}`);
  tarball = join(packs, packed[0]!);
  files = (await run("tar", ["tzf", tarball])).stdout.trim().split("\n");
  const npmCache = join(work, "npm-cache");
  const machineCache = (await run("npm", ["config", "get", "cache"])).stdout.trim();
  mkdirSync(join(npmCache, "_npx"), { recursive: true });
  symlinkSync(join(machineCache, "_cacache"), join(npmCache, "_cacache"));
  // As libnpmexec names the directory of a package spec that is not a directory.
  const hash = createHash("sha512").update(tarball).digest("hex").slice(0, 16);
  npxDir = join(npmCache, "_npx", hash);
  mkdirSync(npxDir);
  await run("cp", [tarball, npxDir]);
  await installOffline(join(npxDir, packed[0]!), npxDir);
  parrot = join(npxDir, "node_modules", ".bin", "parrot");
  npxParrot = join(work, "npx-parrot");
  writeFileSync(
    npxParrot,
    `#!/bin/sh\nnpm_config_cache='${npmCache}' exec npx --offline --yes --package '${tarball}' parrot "$@"\n`,
    { mode: 0o755 },
  );
  await run("mkdir", ["-p", install]);
});

after(() => rmSync(work, { recursive: true, force: true }));

describe("npm package", () => {
  test("holds compiled JavaScript and what it reads, no sources or tests", () => {
    assert.ok(files.includes("package/dist/cli/parrot.js"));
    assert.ok(files.includes("package/dist/spec/README.md"), "the requirements the suite reports");
    assert.ok(files.some((file) => file.startsWith("package/dist/conformance/features/")));
    assert.ok(files.includes("package/contrib/parrot.service"));
    const sources = files.filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"));
    assert.deepEqual(sources, []);
    assert.deepEqual(
      files.filter((file) => /^package\/(test|bench|tools|spec|node_modules)\//.test(file)),
      [],
    );
  });

  test("installs only run-time dependencies: no tsx, no compiler, no test tools", () => {
    const installed = join(npxDir, "node_modules");
    for (const dev of ["tsx", "typescript", "@biomejs/biome", "fast-check", "esbuild"]) {
      assert.equal(existsSync(join(installed, dev)), false, `${dev} was installed`);
    }
    assert.ok(existsSync(join(installed, "pino")));
  });

  test("parrot --version from the installed package", async () => {
    const version = runParrot(["--version"], { executable: parrot });
    assert.equal(await version.exited, 0);
    assert.match(version.stdout(), /^parrot \d+\.\d+\.\d+\n$/);
  });

  test("the installed server serves the installed client and the installed suite", async () => {
    const dir = join(work, "install");
    const users = join(dir, "users.txt");
    const useradd = runParrot(["useradd", "--users", users, "--batch", "--scrypt-n", "1024"], {
      executable: parrot,
      cwd: dir,
      stdin: accountLines(loadAccounts(ACCOUNTS)),
    });
    assert.equal(await useradd.exited, 0, useradd.stderr());
    const server = await startServerProcess(
      ["-l", "127.0.0.1", "-p", "0", "--users", users, "--handshake-timeout", "3"],
      { executable: parrot, cwd: dir },
    );
    try {
      const client = runParrot(
        [
          "client",
          "-p",
          String(server.address.port),
          "--user",
          "user1",
          "--password-stdin",
          "--send",
          "hello",
        ],
        { executable: parrot, cwd: dir, stdin: "pass1\n" },
      );
      assert.equal(await client.exited, 0, client.stderr());
      assert.equal(client.stdout(), "hello\n");

      const reports = join(work, "reports");
      const suite = runParrot(
        [
          "conformance",
          "--target",
          `127.0.0.1:${server.address.port}`,
          "--handshake-timeout",
          "3",
          "--tags",
          "@REQ-4.8",
          "--reports",
          reports,
        ],
        { executable: parrot, cwd: dir },
      );
      assert.equal(await suite.exited, 0, `${suite.stdout()}\n${suite.stderr()}`);
      assert.match(suite.stdout(), /VERDICT: conforms/);
      assert.ok(existsSync(join(reports, "junit.xml")), "junit.xml in --reports");
    } finally {
      server.child.kill("SIGTERM");
      assert.equal(await server.exited, 0, "a graceful shutdown on SIGTERM");
    }
  });

  test("npx --package <tarball> parrot server, in an empty directory: the demo accounts, a login, a clean stop", async () => {
    const empty = mkdtempSync(join(tmpdir(), "parrot-npx-"));
    try {
      const server = await startServerProcess(["-p", "0"], {
        executable: npxParrot,
        cwd: empty,
        ownProcessGroup: true,
      });
      try {
        const client = runParrot(
          ["client", "-p", String(server.address.port), "--user", "user1", "--password-stdin"],
          { executable: parrot, cwd: empty, stdin: "pass1\n" },
        );
        assert.equal(await client.exited, 0, client.stderr());
      } finally {
        // Ctrl+C, as a person stops what npx runs: SIGINT to the whole process group. (npx
        // passes a SIGTERM sent to it alone only to the shell it runs `parrot` in, and the server
        // would outlive it: npm's behaviour, not the package's.)
        process.kill(-server.child.pid!, "SIGINT");
        await server.exited;
      }
      await refused(server.address.port);
      // The server writes to npm's stderr, which outlives npm's exit until the server's end.
      const stderr = server.child.stderr!;
      if (!stderr.closed) await once(stderr, "close");
      assert.match(server.stderr(), /created it with the demo accounts/);
      assert.match(server.stderr(), /signal received: shutting down/);
      assert.deepEqual(readdirSync(empty), [".parrot"], "only the default users file is made");
      assert.deepEqual(readdirSync(join(empty, ".parrot")), ["users.txt"]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

/** Resolves once nothing listens on `port` of 127.0.0.1 any more (the server has exited). */
async function refused(port: number): Promise<void> {
  const giveUp = Date.now() + 20_000;
  for (;;) {
    const listening = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.destroy();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (!listening) return;
    assert.ok(Date.now() < giveUp, `port ${port} still listening`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
