// Account management as an operator does it: `parrot users` lists, `parrot passwd` changes an
// existing password, `parrot userdel` removes an account, a running server follows each change,
// and concurrent changes to one file all land (issue 12).
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { runParrot } from "../../tools/launch/parrot-process.ts";
import { tempDir, writeFastUsersFile } from "../../tools/launch/test-accounts.ts";
import { RawPeer } from "./raw-peer.ts";

async function parrot(args: string[], stdin?: string) {
  const run = runParrot(args, stdin === undefined ? {} : { stdin });
  return { code: await run.exited, stdout: run.stdout(), stderr: run.stderr() };
}

function listed(stdout: string): string[] {
  return stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => line.split("\t")[0]!);
}

describe("account commands", { concurrency: true }, () => {
  test("users lists the accounts; userdel removes one, keeping the comments; the server refuses it", async () => {
    const usersFile = await writeFastUsersFile();
    writeFileSync(usersFile, `# keep this comment\n${readFileSync(usersFile, "utf8")}`);
    const users = await parrot(["users", "--users", usersFile]);
    assert.equal(users.code, 0, users.stderr);
    assert.deepEqual(listed(users.stdout), ["user1", "user2", "user3"]);
    assert.match(users.stdout, /^user1\tscrypt N=1024$/m);

    const server = await startTestServer({ usersFile });
    try {
      const removed = await parrot(["userdel", "--users", usersFile, "user2"]);
      assert.equal(removed.code, 0, removed.stderr);
      assert.match(removed.stdout, /removed user user2/);
      assert.deepEqual(listed((await parrot(["users", "--users", usersFile])).stdout), [
        "user1",
        "user3",
      ]);
      assert.match(readFileSync(usersFile, "utf8"), /^# keep this comment$/m);
      const peer = await RawPeer.connect(server.address);
      await peer.negotiate();
      assert.equal((await peer.login("user2", "pass2")).status, "BAD_CREDENTIALS");
      assert.equal((await peer.login("user1", "pass1")).status, "OK");
      await peer.logout();
    } finally {
      await server.close();
    }

    const again = await parrot(["userdel", "--users", usersFile, "user2"]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /no user user2/);
  });

  test("passwd changes an existing password; for an unknown name it changes nothing", async () => {
    const usersFile = await writeFastUsersFile();
    const changed = await parrot(
      ["passwd", "--users", usersFile, "--scrypt-n", "1024", "user1"],
      "fresh secret\n",
    );
    assert.equal(changed.code, 0, changed.stderr);
    assert.match(changed.stdout, /changed the password of user user1/);
    const server = await startTestServer({ usersFile });
    try {
      const peer = await RawPeer.connect(server.address);
      await peer.negotiate();
      assert.equal((await peer.login("user1", "pass1")).status, "BAD_CREDENTIALS");
      assert.equal((await peer.login("user1", "fresh secret")).status, "OK");
      await peer.logout();
    } finally {
      await server.close();
    }

    const before = readFileSync(usersFile, "utf8");
    const typo = await parrot(["passwd", "--users", usersFile, "usr1"], "whatever\n");
    assert.equal(typo.code, 1);
    assert.match(typo.stderr, /no user usr1 .*parrot useradd/);
    assert.equal(readFileSync(usersFile, "utf8"), before);
  });

  test("concurrent useradds on one file all land (no lost update)", async () => {
    const usersFile = join(await tempDir(), "users.txt");
    const names = ["ann", "bob", "cat", "dan", "eve", "fay"];
    const runs = await Promise.all(
      names.map((name) =>
        parrot(["useradd", "--users", usersFile, "--scrypt-n", "1024", name], `${name}-pw\n`),
      ),
    );
    for (const run of runs) assert.equal(run.code, 0, run.stderr);
    const users = await parrot(["users", "--users", usersFile]);
    assert.deepEqual(listed(users.stdout).sort(), names);
  });

  test("bad usage exits 2 with the usage; a missing file exits 1", async () => {
    const extra = await parrot(["userdel"]);
    assert.equal(extra.code, 2);
    assert.match(extra.stderr, /Usage: parrot userdel/);
    const unknown = await parrot(["users", "--frobnicate"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Usage: parrot users/);
    const missing = await parrot(["users", "--users", join(await tempDir(), "none.txt")]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /does not exist/);
  });
});
