/**
 * In-process servers for tests: 127.0.0.1, port 0, a users file with cheap scrypt (N=1024) so
 * logins are fast, no log output unless PARROT_TEST_LOG_LEVEL is set (e.g. to "debug").
 */
import { rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger, silentLogger } from "../../server/logger.ts";
import {
  type ParrotServerOptions,
  type RunningParrotServer,
  startParrotServer,
} from "../../server/parrot-server.ts";
import { hashPassword } from "../../server/password-hash.ts";
import { setUser, type UsersFileLine, writeUsersFile } from "../../server/users-file.ts";

export const FAST_SCRYPT = { N: 1024, r: 8, p: 1 };

export const TEST_ACCOUNTS = [
  { name: "user1", password: "pass1" },
  { name: "user2", password: "pass2" },
  { name: "user3", password: "pass3" },
];

const createdDirs: string[] = [];
process.once("exit", () => {
  for (const dir of createdDirs) rmSync(dir, { recursive: true, force: true });
});

/** A temporary directory, removed when the test process exits. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "parrot-server-test-"));
  createdDirs.push(dir);
  return dir;
}

/** Writes a users file with `accounts` hashed at N=1024 and returns its path. */
export async function writeFastUsersFile(
  accounts: readonly { name: string; password: string }[] = TEST_ACCOUNTS,
  dir?: string,
): Promise<string> {
  const path = join(dir ?? (await tempDir()), "users.txt");
  let lines: UsersFileLine[] = [];
  for (const account of accounts) {
    lines = setUser(lines, account.name, await hashPassword(account.password, FAST_SCRYPT)).lines;
  }
  await writeUsersFile(path, lines);
  return path;
}

export async function startTestServer(
  options: ParrotServerOptions = {},
): Promise<RunningParrotServer> {
  const level = process.env["PARROT_TEST_LOG_LEVEL"];
  return startParrotServer({
    host: "127.0.0.1",
    port: 0,
    usersFile: options.usersFile ?? (await writeFastUsersFile()),
    logger: level ? createLogger({ level: level as "debug", pretty: false }) : silentLogger(),
    ...options,
  });
}
