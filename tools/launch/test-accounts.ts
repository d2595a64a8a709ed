/**
 * Accounts for the servers tests start: the users file a test server reads, hashed at a low
 * scrypt cost so logins are fast (or at production strength where a test measures that), and the
 * temporary directories they live in. One place for test/, the conformance tests and bench/.
 */
import { rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { provisionReferenceUsers } from "../../conformance/support/launcher.ts";
import {
  DEFAULT_SCRYPT_PARAMS,
  hashPassword,
  type ScryptParams,
} from "../../server/password-hash.ts";
import { setUser, type UsersFileLine, writeUsersFile } from "../../server/users-file.ts";

/** scrypt at N=1024: a login costs about a millisecond. Tests only. */
export const FAST_SCRYPT: ScryptParams = { N: 1024, r: 8, p: 1 };

export interface TestAccount {
  name: string;
  password: string;
}

/** The demo accounts: what a test server has unless the test says otherwise. */
export const TEST_ACCOUNTS: readonly TestAccount[] = [
  { name: "user1", password: "pass1" },
  { name: "user2", password: "pass2" },
  { name: "user3", password: "pass3" },
];

/**
 * The demo accounts, plus one account per client test that logs in while others run concurrently,
 * so no two such tests ever contend for one login.
 */
export const MANY_TEST_ACCOUNTS: readonly TestAccount[] = [
  ...TEST_ACCOUNTS,
  ...["carol", "dave", "erin", "frank", "grace", "heidi"].map((name) => ({
    name,
    password: `${name}-pw`,
  })),
];

const createdDirs: string[] = [];
process.once("exit", () => {
  for (const dir of createdDirs) rmSync(dir, { recursive: true, force: true });
});

/** A temporary directory, removed when the test process exits. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "parrot-test-"));
  createdDirs.push(dir);
  return dir;
}

/**
 * Writes `dir`/users.txt (a fresh temporary directory by default) with exactly `accounts`, hashed
 * in parallel with `params`, and returns its path.
 */
export async function writeUsersFileOf(
  accounts: readonly TestAccount[],
  params: ScryptParams,
  dir?: string,
): Promise<string> {
  const path = join(dir ?? (await tempDir()), "users.txt");
  const hashes = await Promise.all(accounts.map(({ password }) => hashPassword(password, params)));
  let lines: UsersFileLine[] = [];
  accounts.forEach((account, index) => {
    lines = setUser(lines, account.name, hashes[index]!).lines;
  });
  await writeUsersFile(path, lines);
  return path;
}

/** A users file with `accounts` (by default TEST_ACCOUNTS) at FAST_SCRYPT. */
export function writeFastUsersFile(
  accounts: readonly TestAccount[] = TEST_ACCOUNTS,
  dir?: string,
): Promise<string> {
  return writeUsersFileOf(accounts, FAST_SCRYPT, dir);
}

/** The conformance suite's fixture accounts (what `provisionedUsersFile` provisions). */
export const ACCOUNTS = fileURLToPath(
  new URL("../../conformance/fixtures/accounts.json", import.meta.url),
);

/**
 * A users file with exactly `accounts`, at production-strength scrypt unless `params` says
 * otherwise (the strong-KDF conformance test measures that cost).
 */
export function usersFileOf(
  accounts: readonly TestAccount[],
  params: ScryptParams = DEFAULT_SCRYPT_PARAMS,
): Promise<string> {
  return writeUsersFileOf(accounts, params);
}

/** A users file with every fixture account, provisioned through `parrot useradd --batch`. */
export async function provisionedUsersFile(): Promise<string> {
  const file = join(await tempDir(), "users.txt");
  await provisionReferenceUsers(file, ACCOUNTS);
  return file;
}
