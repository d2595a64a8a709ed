/**
 * `parrot useradd`: adds or replaces accounts in a users file.
 *
 *   parrot useradd [--users FILE] [--scrypt-n N] NAME
 *     The password is asked twice, not echoed, when stdin is a terminal; otherwise it is the
 *     first line of stdin (`echo secret | parrot useradd alice`).
 *   parrot useradd [--users FILE] [--scrypt-n N] --batch
 *     Reads "NAME PASSWORD" lines from stdin (blank lines and # comments skipped) and writes them
 *     all at once; for provisioning test accounts.
 *
 * An existing user's line is replaced in place; other lines and comments are kept. A running
 * server picks the change up at the next login. Exit codes: 0 ok, 1 failure, 2 bad usage.
 * `parrot passwd NAME` is the same for an existing user only (so a typo adds no account).
 * Changes are atomic on the file (users-file-update.ts).
 */
import { createInterface } from "node:readline";
import type { ReadStream } from "node:tty";
import { parseArgs } from "node:util";
import { MAX_STRING_BYTES } from "../../generated/index.ts";
import {
  checkParams,
  DEFAULT_SCRYPT_PARAMS,
  hashPassword,
  type PasswordHash,
  PasswordHashFormatError,
  type ScryptParams,
} from "../../server/password-hash.ts";
import {
  DEFAULT_USERS_FILE,
  readUsersFile,
  setUsers,
  USERS_FILE_HEADER,
  type UsersFileLine,
  userNameProblem,
} from "../../server/users-file.ts";
import { updateUsersFile } from "../../server/users-file-update.ts";
// The client's no-echo prompt (raw mode, Backspace, Ctrl+U, escape sequences swallowed): one
// implementation of "read a password from a terminal" for every parrot command.
import { PromptCancelled, promptLine } from "../terminal-prompt.ts";

export const USERADD_USAGE = `Usage: parrot useradd [--users FILE] [--scrypt-n N] NAME
       parrot useradd [--users FILE] [--scrypt-n N] --batch

Adds NAME to the users file, or replaces its password. The password is asked twice (not echoed)
in a terminal, else read from the first line of stdin.

Options:
      --users FILE   users file (default ${DEFAULT_USERS_FILE}, or $PARROT_USERS); created if missing
      --batch        read "NAME PASSWORD" lines from stdin and add them all
      --scrypt-n N   scrypt cost, a power of two (default ${DEFAULT_SCRYPT_PARAMS.N}; tests use 1024)
  -h, --help         show this help

Names are 1-${MAX_STRING_BYTES.LOGIN_REQUEST.username} bytes of UTF-8 without ':' or whitespace; \
passwords 1-${MAX_STRING_BYTES.LOGIN_REQUEST.password} bytes.`;

class UsageError extends Error {}
class InputError extends Error {}

export const PASSWD_USAGE = `Usage: parrot passwd [--users FILE] [--scrypt-n N] NAME

Changes the password of NAME, who must be in the users file. The password is asked twice (not
echoed) in a terminal, else read from the first line of stdin. Options as for parrot useradd.`;

/** `parrot useradd`, or with mode "passwd" `parrot passwd`: the same, for an existing user only. */
export async function runUseraddCommand(
  argv: readonly string[],
  mode: "useradd" | "passwd" = "useradd",
): Promise<number> {
  const usage = mode === "passwd" ? PASSWD_USAGE : USERADD_USAGE;
  try {
    return await useradd(argv, mode, usage);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`parrot ${mode}: ${error.message}\n\n${usage}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`parrot ${mode}: ${message}\n`);
    return 1;
  }
}

async function useradd(
  argv: readonly string[],
  mode: "useradd" | "passwd",
  usage: string,
): Promise<number> {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const path = values.users ?? (process.env["PARROT_USERS"] || DEFAULT_USERS_FILE);
  const params = scryptParams(values["scrypt-n"]);
  const batch = values.batch === true;
  if (batch && mode === "passwd") throw new UsageError("passwd takes no --batch");
  if (batch && positionals.length > 0) throw new UsageError("--batch takes no NAME");
  if (!batch && positionals.length !== 1) throw new UsageError("give exactly one NAME");

  // Checked again under the lock; first here so that nobody types a password for a typo.
  if (mode === "passwd") checkExists(await readUsersFile(path), positionals[0]!, path);
  const accounts = batch ? await readBatch() : [await readOne(positionals[0]!)];
  const hashed = await Promise.all(
    accounts.map(
      async (account): Promise<[string, PasswordHash]> => [
        account.name,
        await hashPassword(account.password, params),
      ],
    ),
  );
  const report: string[] = [];
  await updateUsersFile(path, (existing) => {
    if (mode === "passwd") checkExists(existing, hashed[0]![0], path);
    const lines: UsersFileLine[] = existing ?? [{ kind: "other", text: USERS_FILE_HEADER }];
    const result = setUsers(lines, hashed);
    hashed.forEach(([name], i) => {
      const done =
        mode === "passwd" ? "changed the password of" : result.replaced[i] ? "updated" : "added";
      report.push(`${done} user ${name} in ${path}\n`);
    });
    return result.lines;
  });
  process.stdout.write(report.join(""));
  return 0;
}

function parseOptions(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: true,
    options: {
      users: { type: "string" },
      batch: { type: "boolean" },
      "scrypt-n": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}

function scryptParams(text: string | undefined): ScryptParams {
  if (text === undefined) return DEFAULT_SCRYPT_PARAMS;
  const params = { ...DEFAULT_SCRYPT_PARAMS, N: Number(text) };
  try {
    checkParams(params);
  } catch (error) {
    if (error instanceof PasswordHashFormatError)
      throw new UsageError(`--scrypt-n: ${error.message}`);
    throw error;
  }
  return params;
}

interface Account {
  name: string;
  password: string;
}

async function readOne(name: string): Promise<Account> {
  checkName(name, "NAME");
  let password: string;
  if (process.stdin.isTTY) {
    try {
      const terminal = process.stdin as ReadStream;
      password = await promptLine(terminal, process.stderr, `password for ${name}: `, {
        echo: false,
      });
      const again = await promptLine(terminal, process.stderr, "again: ", { echo: false });
      if (again !== password) throw new InputError("the passwords do not match; nothing changed");
    } catch (error) {
      if (error instanceof PromptCancelled) throw new InputError("cancelled; nothing changed");
      throw error;
    }
  } else {
    const first = await firstLineOfStdin();
    if (first === undefined) throw new InputError("no password on stdin");
    password = first;
  }
  checkPassword(password, name);
  return { name, password };
}

async function readBatch(): Promise<Account[]> {
  const accounts: Account[] = [];
  const seen = new Set<string>();
  let lineNumber = 0;
  for await (const line of createInterface({
    input: process.stdin,
    crlfDelay: Number.POSITIVE_INFINITY,
  })) {
    lineNumber += 1;
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const match = /^(\S+)\s+(.+)$/.exec(trimmed);
    if (match === null) throw new InputError(`stdin line ${lineNumber}: expected "NAME PASSWORD"`);
    const [, name, password] = match as unknown as [string, string, string];
    checkName(name, `stdin line ${lineNumber}`);
    checkPassword(password, name);
    if (seen.has(name)) throw new InputError(`stdin line ${lineNumber}: ${name} appears twice`);
    seen.add(name);
    accounts.push({ name, password });
  }
  if (accounts.length === 0) throw new InputError("no accounts on stdin");
  return accounts;
}

function checkExists(lines: UsersFileLine[] | undefined, name: string, path: string): void {
  if (!lines?.some((line) => line.kind === "user" && line.name === name)) {
    throw new InputError(`no user ${name} in ${path}; add it with \`parrot useradd\``);
  }
}

function checkName(name: string, where: string): void {
  const problem = userNameProblem(name);
  if (problem !== undefined) throw new InputError(`${where}: ${problem}`);
}

function checkPassword(password: string, name: string): void {
  const bytes = Buffer.byteLength(password, "utf8");
  const max = MAX_STRING_BYTES.LOGIN_REQUEST.password;
  if (bytes === 0) throw new InputError(`the password for ${name} is empty`);
  if (bytes > max)
    throw new InputError(`the password for ${name} is ${bytes} bytes; the protocol allows ${max}`);
}

async function firstLineOfStdin(): Promise<string | undefined> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return undefined;
}
