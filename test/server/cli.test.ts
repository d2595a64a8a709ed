// The real `parrot` command as a user runs it: the listening line, the demo accounts on first
// start, SIGTERM shutdown, useradd, option errors and exit codes.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { describe, test } from "node:test";
import { parseUsersFile } from "../../server/users-file.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { runParrot, startServerProcess } from "../../tools/launch/parrot-process.ts";
import { tempDir, writeFastUsersFile } from "../../tools/launch/test-accounts.ts";
import { RawPeer } from "./raw-peer.ts";

describe("parrot server", { concurrency: true }, () => {
  test("first start creates the default users file with the demo accounts; SIGTERM sends SERVER_SHUTDOWN and exits 0", async () => {
    const workingDir = await tempDir();
    const usersFile = join(workingDir, ".parrot", "users.txt");
    const server = await startServerProcess(["-l", "127.0.0.1", "-p", "0"], { cwd: workingDir });
    assert.match(server.stdout(), /^parrot server listening on 127\.0\.0\.1:\d+ \(tcp\)\n$/);
    assert.match(
      server.stderr(),
      /created it with the demo accounts user1\/pass1 and user2\/pass2/,
    );
    assert.equal((await stat(usersFile)).mode & 0o777, 0o600);
    const names = parseUsersFile(readFileSync(usersFile, "utf8"), usersFile).flatMap((line) =>
      line.kind === "user" ? [line.name] : [],
    );
    assert.deepEqual(names, ["user1", "user2"]);

    const first = await RawPeer.connect(server.address);
    const second = await RawPeer.connect(server.address);
    await first.negotiateAndLogin("user1", "pass1");
    await second.negotiateAndLogin("user2", "pass2");
    server.child.kill("SIGTERM");
    for (const peer of [first, second]) {
      const error = await peer.expectError("SERVER_SHUTDOWN");
      assert.equal(error.version, 1);
      await peer.expectClosed();
    }
    assert.equal(await server.exited, 0);
    // stdout carries the listening line and nothing else; logs went to stderr.
    assert.equal(server.stdout().split("\n").filter(Boolean).length, 1);
  });

  test("--users naming a file that does not exist: exit 1 saying how to create it; no demo accounts, nothing created", async () => {
    const missing = join(await tempDir(), "nonexistent", "dir", "users.txt");
    const server = runParrot(["server", "-l", "127.0.0.1", "-p", "0", "--users", missing]);
    assert.equal(await server.exited, 1);
    assert.match(
      server.stderr(),
      /users file .*users\.txt does not exist; create it with `parrot useradd/,
    );
    assert.equal(server.stdout(), "");
    assert.equal(existsSync(dirname(missing)), false);
  });

  test("bad options: usage on stderr, exit 2", async () => {
    const unknown = runParrot(["server", "--frobnicate"]);
    const timers = runParrot(["server", "--ping-interval", "2", "--ping-timeout", "1"]);
    assert.equal(await unknown.exited, 2);
    assert.match(unknown.stderr(), /Usage: parrot server/);
    assert.equal(await timers.exited, 2);
    assert.match(timers.stderr(), /must be longer than the ping interval/);
  });

  test("off loopback without TLS: refused (exit 2) unless --allow-plaintext, which warns at start", async () => {
    const refused = runParrot(["server", "-l", "0.0.0.0", "-p", "0"]);
    assert.equal(await refused.exited, 2);
    assert.match(refused.stderr(), /off loopback and there is no TLS/);
    assert.equal(refused.stdout(), "");
    // 192.0.2.1 (TEST-NET-1) is no address of this machine: nothing listens, but the warning
    // comes first.
    const allowed = runParrot([
      "server",
      "-l",
      "192.0.2.1",
      "-p",
      "0",
      "--allow-plaintext",
      "--users",
      await writeFastUsersFile(),
    ]);
    assert.equal(await allowed.exited, 1);
    assert.match(allowed.stderr(), /--allow-plaintext: listening off loopback without TLS/);
    assert.match(allowed.stderr(), /192\.0\.2\.1 is not an address of this machine/);
  });

  test("a port already in use: exit 1 saying so", async () => {
    const taken = await startTestServer();
    try {
      const second = runParrot([
        "server",
        "-l",
        "127.0.0.1",
        "-p",
        String(taken.address.port),
        "--users",
        await writeFastUsersFile(),
      ]);
      assert.equal(await second.exited, 1);
      assert.match(second.stderr(), /already in use/);
    } finally {
      await taken.close();
    }
  });

  test("parrot --help and --version", async () => {
    const help = runParrot(["--help"]);
    const version = runParrot(["--version"]);
    assert.equal(await help.exited, 0);
    assert.match(help.stdout(), /parrot <command>/);
    assert.equal(await version.exited, 0);
    const { version: expected } = JSON.parse(
      readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
    ) as { version: string };
    assert.equal(version.stdout(), `parrot ${expected}\n`);
  });
});

describe("parrot useradd", { concurrency: true }, () => {
  test("adds a user from stdin who can then log in; replacing the password retires the old one", async () => {
    const usersFile = join(await tempDir(), "users.txt");
    const add = runParrot(["useradd", "--users", usersFile, "--scrypt-n", "1024", "alice"], {
      stdin: "wonder land\n",
    });
    assert.equal(await add.exited, 0, add.stderr());
    assert.match(add.stdout(), /added user alice/);
    assert.equal((await stat(usersFile)).mode & 0o777, 0o600);

    const server = await startTestServer({ usersFile });
    try {
      const peer = await RawPeer.connect(server.address);
      await peer.negotiateAndLogin("alice", "wonder land");
      await peer.logout();

      const change = runParrot(["useradd", "--users", usersFile, "--scrypt-n", "1024", "alice"], {
        stdin: "new-secret\n",
      });
      assert.equal(await change.exited, 0, change.stderr());
      assert.match(change.stdout(), /updated user alice/);
      // The running server picks the change up without a restart.
      const again = await RawPeer.connect(server.address);
      await again.negotiate();
      assert.equal((await again.login("alice", "wonder land")).status, "BAD_CREDENTIALS");
      assert.equal((await again.login("alice", "new-secret")).status, "OK");
      await again.logout();
    } finally {
      await server.close();
    }
  });

  test("--batch adds every NAME PASSWORD line", async () => {
    const usersFile = join(await tempDir(), "users.txt");
    const batch = runParrot(["useradd", "--users", usersFile, "--scrypt-n", "1024", "--batch"], {
      stdin: "# test accounts\nload001 pw-one\n\nload002 pw-two\r\nload003 pw three\n",
    });
    assert.equal(await batch.exited, 0, batch.stderr());
    const server = await startTestServer({ usersFile });
    try {
      for (const [name, password] of [
        ["load001", "pw-one"],
        ["load002", "pw-two"],
        ["load003", "pw three"],
      ] as const) {
        const peer = await RawPeer.connect(server.address);
        await peer.negotiateAndLogin(name, password);
        await peer.logout();
      }
    } finally {
      await server.close();
    }
  });

  test("invalid names and missing passwords are refused, the file untouched", async () => {
    const usersFile = await writeFastUsersFile();
    const before = readFileSync(usersFile, "utf8");
    const colon = runParrot(["useradd", "--users", usersFile, "a:b"], { stdin: "pw\n" });
    const empty = runParrot(["useradd", "--users", usersFile, "bob"], { stdin: "" });
    const noName = runParrot(["useradd", "--users", usersFile], { stdin: "pw\n" });
    assert.equal(await colon.exited, 1);
    assert.match(colon.stderr(), /contains ':'/);
    assert.equal(await empty.exited, 1);
    assert.match(empty.stderr(), /no password on stdin/);
    assert.equal(await noName.exited, 2);
    assert.equal(readFileSync(usersFile, "utf8"), before);
  });
});
