// Users file format, password hashing and the user store: what an operator sees when a file is
// broken, and that logins are checked without revealing which users exist.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, test } from "node:test";
import { silentLogger } from "../../server/logger.ts";
import {
  formatPasswordHash,
  hashPassword,
  PasswordWithNulError,
  parsePasswordHash,
  unmatchableHash,
  verifyPassword,
} from "../../server/password-hash.ts";
import { UserStore } from "../../server/user-store.ts";
import {
  MissingUsersFileError,
  parseUsersFile,
  setUser,
  setUsers,
  UsersFileError,
  userNameProblem,
} from "../../server/users-file.ts";
import { FAST_SCRYPT, tempDir, writeFastUsersFile } from "../../tools/launch/test-accounts.ts";

describe("password hashes", () => {
  test("hash, format, parse, verify round trip; salts differ", async () => {
    const first = await hashPassword("pässword", FAST_SCRYPT);
    const second = await hashPassword("pässword", FAST_SCRYPT);
    assert.notDeepEqual(first.salt, second.salt);
    const parsed = parsePasswordHash(formatPasswordHash(first));
    assert.deepEqual(parsed, first);
    assert.equal(await verifyPassword("pässword", parsed), true);
    assert.equal(await verifyPassword("password", parsed), false);
    assert.equal(await verifyPassword("", parsed), false);
  });

  test("a password with NULs appended is another password (REQ-5.12), and none can be set (REQ-5.13)", async () => {
    const stored = await hashPassword("pass1", FAST_SCRYPT);
    // scrypt alone derives the same bytes for both: HMAC pads a short key with zeros.
    assert.equal(await verifyPassword("pass1", stored), true);
    assert.equal(await verifyPassword("pass1\u0000", stored), false);
    assert.equal(await verifyPassword("pass1\u0000\u0000", stored), false);
    await assert.rejects(hashPassword("pass1\u0000", FAST_SCRYPT), PasswordWithNulError);
    await assert.rejects(hashPassword("pa\u0000ss", FAST_SCRYPT), PasswordWithNulError);
  });

  test("an unmatchable hash matches no password", async () => {
    const dummy = unmatchableHash(FAST_SCRYPT);
    assert.equal(await verifyPassword("", dummy), false);
    assert.equal(await verifyPassword("pass1", dummy), false);
  });

  test("malformed hashes are refused with a reason", () => {
    assert.throws(() => parsePasswordHash("bcrypt:1:1:1:AA==:AA=="), /unknown scheme/);
    assert.throws(() => parsePasswordHash("scrypt:1000:8:1:AAAA:AAAA"), /power of two/);
    assert.throws(() => parsePasswordHash("scrypt:1024:8:1:!!:AAAA"), /salt is not base64/);
    assert.throws(() => parsePasswordHash("scrypt:1024:8:1"), /6 fields/);
  });
});

describe("users file", () => {
  test("comments, blank lines and CRLF are fine", async () => {
    const hash = formatPasswordHash(await hashPassword("pw", FAST_SCRYPT));
    const lines = parseUsersFile(
      `# accounts\r\n\r\nalice:${hash}\r\n  # indented comment\nbob:${hash}\n`,
      "users.txt",
    );
    assert.deepEqual(
      lines.flatMap((line) => (line.kind === "user" ? [line.name] : [])),
      ["alice", "bob"],
    );
  });

  test("errors name the file and the line", async () => {
    const hash = formatPasswordHash(await hashPassword("pw", FAST_SCRYPT));
    const cases: [string, number, RegExp][] = [
      [`# ok\nalice\n`, 2, /expected name:scrypt/],
      [`alice:${hash}\nalice:${hash}\n`, 2, /already defined on line 1/],
      [`alice:scrypt:3:8:1:AAAA:AAAA\n`, 1, /power of two/],
      [`al ice:${hash}\n`, 1, /whitespace/],
    ];
    for (const [text, line, reason] of cases) {
      assert.throws(
        () => parseUsersFile(text, "/etc/parrot/users.txt"),
        (error: unknown) => {
          assert.ok(error instanceof UsersFileError);
          assert.equal(error.line, line);
          assert.match(error.message, new RegExp(`^/etc/parrot/users\\.txt:${line}: `));
          assert.match(error.message, reason);
          return true;
        },
      );
    }
  });

  test("setUser replaces in place and keeps comments", async () => {
    const hash = await hashPassword("pw", FAST_SCRYPT);
    let lines = parseUsersFile("# header\n", "f");
    lines = setUser(lines, "alice", hash).lines;
    lines = setUser(lines, "bob", hash).lines;
    const replaced = setUser(lines, "alice", await hashPassword("new", FAST_SCRYPT));
    assert.equal(replaced.replaced, true);
    assert.deepEqual(
      replaced.lines.map((line) => (line.kind === "user" ? line.name : line.text)),
      ["# header", "alice", "bob"],
    );
  });

  test("setUsers (useradd --batch) ends as setUser one at a time would, a name twice in the batch too", async () => {
    const old = await hashPassword("old", FAST_SCRYPT);
    const hashes = await Promise.all(["a", "b", "c"].map((pw) => hashPassword(pw, FAST_SCRYPT)));
    const existing = setUser(parseUsersFile("# header\n", "f"), "bob", old).lines;
    const batch = [
      ["alice", hashes[0]!],
      ["bob", hashes[1]!],
      ["alice", hashes[2]!],
    ] as const;
    let oneByOne = existing;
    const replacedOneByOne = batch.map(([name, hash]) => {
      const result = setUser(oneByOne, name, hash);
      oneByOne = result.lines;
      return result.replaced;
    });
    const together = setUsers(existing, batch);
    assert.deepEqual(together.lines, oneByOne);
    assert.deepEqual(together.replaced, replacedOneByOne);
    assert.deepEqual(together.replaced, [false, true, true]);
    assert.deepEqual(
      together.lines.map((line) => line.text),
      [
        "# header",
        `bob:${formatPasswordHash(hashes[1]!)}`,
        `alice:${formatPasswordHash(hashes[2]!)}`,
      ],
    );
    assert.equal(existing.length, 2, "the lines it was given are left as they were");
  });

  test("user names: 1-32 bytes, no ':' or whitespace", () => {
    assert.equal(userNameProblem("user1"), undefined);
    assert.equal(userNameProblem("ünïcödé"), undefined);
    assert.match(userNameProblem("")!, /empty/);
    assert.match(userNameProblem("x".repeat(33))!, /33 bytes/);
    assert.match(userNameProblem("é".repeat(17))!, /34 bytes/);
    assert.match(userNameProblem("a:b")!, /':'/);
    assert.match(userNameProblem("a\tb")!, /whitespace/);
  });
});

describe("user store", () => {
  test("right password only; unknown users are simply refused", async () => {
    const store = await UserStore.open(await writeFastUsersFile(), { logger: silentLogger() });
    assert.equal(store.size, 3);
    assert.equal(await store.verify("user1", "pass1"), true);
    assert.equal(await store.verify("user1", "pass2"), false);
    assert.equal(await store.verify("nobody", "pass1"), false);
    assert.equal(await store.verify("", ""), false);
  });

  test("a missing file is created with the demo accounts when asked to (the default path does)", async () => {
    const path = join(await tempDir(), "nested", "users.txt");
    const store = await UserStore.open(path, {
      logger: silentLogger(),
      demoParams: FAST_SCRYPT,
      demoAccounts: true,
    });
    assert.equal(await store.verify("user1", "pass1"), true);
    assert.equal(await store.verify("user2", "pass2"), true);
    assert.match(await readFile(path, "utf8"), /^# Parrot users/);
    assert.deepEqual(await store.demoAccountsInUse(), ["user1", "user2"]);
  });

  test("any other missing file is an error naming it; nothing is created", async () => {
    const dir = join(await tempDir(), "nonexistent");
    const path = join(dir, "users.txt");
    await assert.rejects(UserStore.open(path, { logger: silentLogger() }), (error: unknown) => {
      assert.ok(error instanceof MissingUsersFileError);
      assert.match(error.message, /does not exist; create it with `parrot useradd --users/);
      return true;
    });
    await assert.rejects(readFile(path), { code: "ENOENT" });
    assert.equal(existsSync(dir), false);
  });

  test("demo accounts whose passwords were changed are no longer reported in use", async () => {
    const store = await UserStore.open(await writeFastUsersFile(), { logger: silentLogger() });
    assert.deepEqual(await store.demoAccountsInUse(), ["user1", "user2"]);
    const changed = await UserStore.open(
      await writeFastUsersFile([{ name: "user1", password: "a better one" }]),
      { logger: silentLogger() },
    );
    assert.deepEqual(await changed.demoAccountsInUse(), []);
  });

  test("a change on disk that does not parse is ignored; the users loaded before stay", async () => {
    const path = await writeFastUsersFile();
    const store = await UserStore.open(path, { logger: silentLogger() });
    await writeFile(path, "garbage line\n");
    assert.equal(await store.verify("user1", "pass1"), true);
  });

  test("a malformed file at start is an error naming the line", async () => {
    const path = join(await tempDir(), "users.txt");
    await writeFile(path, "# fine\nnot a user line\n");
    await assert.rejects(UserStore.open(path, { logger: silentLogger() }), (error: unknown) => {
      assert.ok(error instanceof UsersFileError);
      assert.equal(error.line, 2);
      return true;
    });
  });
});
