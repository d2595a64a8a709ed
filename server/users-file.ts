/**
 * The users file: one account per line, `name:scrypt:N:r:p:saltBase64:hashBase64`, with `#`
 * comments and blank lines allowed. Read by the server's user store, written by
 * `parrot useradd`. Writes go to a temporary file that is renamed over the old one, so a reader
 * never sees half a file, and the file is created with mode 0600.
 */
import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { MAX_STRING_BYTES } from "../generated/index.ts";
import {
  formatPasswordHash,
  type PasswordHash,
  PasswordHashFormatError,
  parsePasswordHash,
} from "./password-hash.ts";

/** Relative to the working directory; `.parrot/` is git-ignored. */
export const DEFAULT_USERS_FILE = ".parrot/users.txt";

/** The original project's accounts, so `make server` works out of the box. */
export const DEMO_ACCOUNTS: readonly { name: string; password: string }[] = [
  { name: "user1", password: "pass1" },
  { name: "user2", password: "pass2" },
];

export const USERS_FILE_HEADER =
  "# Parrot users: name:scrypt:N:r:p:salt:hash (base64). Manage with `parrot useradd`.";

export type UsersFileLine =
  | { kind: "user"; name: string; hash: PasswordHash; text: string }
  | { kind: "other"; text: string };

/** A malformed users file, naming the file and line so an operator can fix it. */
export class UsersFileError extends Error {
  override name = "UsersFileError";
  readonly path: string;
  readonly line: number;

  constructor(path: string, line: number, reason: string) {
    super(`${path}:${line}: ${reason}`);
    this.path = path;
    this.line = line;
  }
}

/**
 * A users file that does not exist where no demo accounts may be created (any path but the
 * default one). A UsersFileError, so `parrot server` reports it like a malformed file.
 */
export class MissingUsersFileError extends UsersFileError {
  override name = "MissingUsersFileError";

  constructor(path: string) {
    super(path, 0, "");
    this.message =
      `users file ${path} does not exist; create it with \`parrot useradd --users ${path} NAME\` ` +
      `(demo accounts are created only for the default ${DEFAULT_USERS_FILE})`;
  }
}

/** Why `name` cannot be an account name, or undefined if it can. */
export function userNameProblem(name: string): string | undefined {
  const bytes = Buffer.byteLength(name, "utf8");
  const max = MAX_STRING_BYTES.LOGIN_REQUEST.username;
  if (bytes === 0) return "the user name is empty";
  if (bytes > max) return `the user name is ${bytes} bytes of UTF-8; the protocol allows ${max}`;
  if (name.includes(":")) return "the user name contains ':', the users file's separator";
  if (/\s/u.test(name)) return "the user name contains whitespace";
  if (/\p{Cc}/u.test(name)) return "the user name contains a control character";
  return undefined;
}

export function parseUsersFile(text: string, path: string): UsersFileLine[] {
  const lines: UsersFileLine[] = [];
  const seen = new Map<string, number>();
  const rawLines = text.split("\n");
  if (rawLines.at(-1) === "") rawLines.pop();
  rawLines.forEach((raw, index) => {
    const lineNumber = index + 1;
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) {
      lines.push({ kind: "other", text: line });
      return;
    }
    const separator = trimmed.indexOf(":");
    if (separator < 0) throw new UsersFileError(path, lineNumber, "expected name:scrypt:...");
    const name = trimmed.slice(0, separator);
    const problem = userNameProblem(name);
    if (problem !== undefined) throw new UsersFileError(path, lineNumber, problem);
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      throw new UsersFileError(
        path,
        lineNumber,
        `user "${name}" is already defined on line ${earlier}`,
      );
    }
    seen.set(name, lineNumber);
    let hash: PasswordHash;
    try {
      hash = parsePasswordHash(trimmed.slice(separator + 1));
    } catch (error) {
      if (error instanceof PasswordHashFormatError) {
        throw new UsersFileError(path, lineNumber, `user "${name}": ${error.message}`);
      }
      throw error;
    }
    lines.push({ kind: "user", name, hash, text: line });
  });
  return lines;
}

export function formatUserLine(name: string, hash: PasswordHash): string {
  return `${name}:${formatPasswordHash(hash)}`;
}

/** Replaces `name`'s line in place, or appends one. */
export function setUser(
  lines: readonly UsersFileLine[],
  name: string,
  hash: PasswordHash,
): { lines: UsersFileLine[]; replaced: boolean } {
  const entry: UsersFileLine = { kind: "user", name, hash, text: formatUserLine(name, hash) };
  let replaced = false;
  const updated = lines.map((line) => {
    if (line.kind === "user" && line.name === name) {
      replaced = true;
      return entry;
    }
    return line;
  });
  if (!replaced) updated.push(entry);
  return { lines: updated, replaced };
}

/**
 * setUser for a whole batch in one pass (`parrot useradd --batch`): one at a time copies every line
 * per user, which is quadratic and takes minutes for a batch of 100 000. `replaced[i]` says whether
 * `users[i]` replaced a line (a name twice in the batch: the second replaces the first).
 */
export function setUsers(
  lines: readonly UsersFileLine[],
  users: readonly (readonly [name: string, hash: PasswordHash])[],
): { lines: UsersFileLine[]; replaced: boolean[] } {
  const updated = [...lines];
  const lineOf = new Map<string, number>();
  updated.forEach((line, index) => {
    if (line.kind === "user") lineOf.set(line.name, index);
  });
  const replaced = users.map(([name, hash]) => {
    const entry: UsersFileLine = { kind: "user", name, hash, text: formatUserLine(name, hash) };
    const index = lineOf.get(name);
    if (index !== undefined) {
      updated[index] = entry;
      return true;
    }
    lineOf.set(name, updated.push(entry) - 1);
    return false;
  });
  return { lines: updated, replaced };
}

/** The parsed file, or undefined when it does not exist. Throws UsersFileError when malformed. */
export async function readUsersFile(path: string): Promise<UsersFileLine[] | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  return parseUsersFile(text, path);
}

export async function writeUsersFile(path: string, lines: readonly UsersFileLine[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const text = lines.map((line) => `${line.text}\n`).join("");
  const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  await writeFile(temporary, text, { mode: 0o600, flag: "wx" });
  // writeFile's mode is filtered by the umask; hashes are still secrets worth guarding.
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}

/** Drops `name`'s line; every other line and comment is kept. */
export function removeUser(
  lines: readonly UsersFileLine[],
  name: string,
): { lines: UsersFileLine[]; removed: boolean } {
  const kept = lines.filter((line) => line.kind !== "user" || line.name !== name);
  return { lines: kept, removed: kept.length !== lines.length };
}
