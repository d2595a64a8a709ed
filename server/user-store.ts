/**
 * UserStore: the accounts a server checks logins against, loaded from a users file
 * (users-file.ts).
 *
 * - If the default file (.parrot/users.txt) does not exist when the server starts, it is created
 *   with the demo accounts user1/pass1 and user2/pass2, and a log line says so. Any other missing
 *   file is an error (MissingUsersFileError): a typo in --users must not start a server whose
 *   accounts have passwords everyone knows (issue 12). `demoAccounts` overrides the choice.
 * - `verify()` answers the same, in the same time, for an unknown user and a wrong password
 *   (REQ-5.2, REQ-10.3): an unknown user's password is checked against an unmatchable hash with
 *   the scrypt parameters of the costliest stored account (the default ones if there is none).
 * - The file is re-read when it changes on disk (checked on each login), so `parrot useradd`
 *   takes effect without a restart. A change that does not parse is logged and ignored.
 */
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { Logger } from "./logger.ts";
import {
  costliestParams,
  DEFAULT_SCRYPT_PARAMS,
  hashPassword,
  type PasswordHash,
  type ScryptParams,
  unmatchableHash,
  verifyPassword,
} from "./password-hash.ts";
import {
  DEFAULT_USERS_FILE,
  DEMO_ACCOUNTS,
  MissingUsersFileError,
  readUsersFile,
  setUser,
  USERS_FILE_HEADER,
  type UsersFileLine,
  writeUsersFile,
} from "./users-file.ts";

/** Where a login comes from, for authenticators that throttle (login-throttle.ts). */
export interface VerifyContext {
  /** The connection's peer as the transport formats it: "host:port", "[v6]:port". */
  remoteAddress?: string;
}

/** What a session needs to check a login; swap it to authenticate against something else. */
export interface Authenticator {
  /** True only for an existing user with this password. Never rejects for a wrong password. */
  verify(name: string, password: string, context?: VerifyContext): Promise<boolean>;
  /** Re-reads the accounts now (SIGHUP); true when they changed. Absent: nothing to re-read. */
  reload?(): Promise<boolean>;
  /**
   * (v3) Whether an account has this name: direct messages are queued only for accounts, which
   * bounds the queues. Never shown to a client (REQ-15.19). Absent: every name is queued for.
   */
  hasAccount?(name: string): boolean;
}

export interface UserStoreOptions {
  logger: Logger;
  /**
   * Create the file with the demo accounts if it is missing. Default: only for the default path
   * (DEFAULT_USERS_FILE, relative to the working directory); otherwise a missing file is a
   * MissingUsersFileError.
   */
  demoAccounts?: boolean;
  /** scrypt cost for the demo accounts written when the file is missing. */
  demoParams?: ScryptParams;
}

export class UserStore implements Authenticator {
  readonly path: string;
  private readonly logger: Logger;
  private users = new Map<string, PasswordHash>();
  private dummy: PasswordHash = unmatchableHash(DEFAULT_SCRYPT_PARAMS);
  private fileVersion = "";
  private refreshing: Promise<void> | undefined;

  private constructor(path: string, logger: Logger) {
    this.path = path;
    this.logger = logger;
  }

  /** Loads `path`, creating it with the demo accounts if it does not exist. */
  static async open(path: string, options: UserStoreOptions): Promise<UserStore> {
    const store = new UserStore(path, options.logger);
    let lines = await readUsersFile(path);
    if (lines === undefined) {
      if (!(options.demoAccounts ?? isDefaultUsersFile(path)))
        throw new MissingUsersFileError(path);
      lines = await createDemoFile(path, options.demoParams ?? DEFAULT_SCRYPT_PARAMS);
      options.logger.info(
        { usersFile: path, users: DEMO_ACCOUNTS.map((account) => account.name) },
        "users file did not exist: created it with the demo accounts user1/pass1 and user2/pass2",
      );
    }
    store.adopt(lines);
    store.fileVersion = await fileVersionOf(path);
    options.logger.info({ usersFile: path, users: store.size }, "users loaded");
    return store;
  }

  /**
   * The demo accounts that still have their well-known passwords (costs one password check each).
   * A server reachable from other machines should say so loudly.
   */
  async demoAccountsInUse(): Promise<string[]> {
    const inUse: string[] = [];
    for (const account of DEMO_ACCOUNTS) {
      if (await this.verify(account.name, account.password)) inUse.push(account.name);
    }
    return inUse;
  }

  get size(): number {
    return this.users.size;
  }

  hasAccount(name: string): boolean {
    return this.users.has(name);
  }

  async verify(name: string, password: string): Promise<boolean> {
    await this.refresh();
    const stored = this.users.get(name);
    // Always run scrypt, and compute the answer the same way, whether or not the user exists.
    const matches = await verifyPassword(password, stored ?? this.dummy);
    return stored !== undefined && matches;
  }

  private adopt(lines: readonly UsersFileLine[]): void {
    const users = new Map<string, PasswordHash>();
    for (const line of lines) if (line.kind === "user") users.set(line.name, line.hash);
    this.users = users;
    // The costliest account, not the first: with a cheap account first in the file an unknown
    // user was refused 14 times faster than a wrong password on the others (issue 12).
    const params = [...users.values()].map((stored) => stored.params);
    this.dummy = unmatchableHash(costliestParams(params, DEFAULT_SCRYPT_PARAMS));
  }

  /** Re-reads the file now if it changed on disk (as a login would); true when it did. */
  async reload(): Promise<boolean> {
    const before = this.fileVersion;
    await this.refresh();
    return this.fileVersion !== before;
  }

  private refresh(): Promise<void> {
    this.refreshing ??= this.reloadIfChanged().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async reloadIfChanged(): Promise<void> {
    let version: string;
    try {
      version = await fileVersionOf(this.path);
    } catch (error) {
      this.logger.warn(
        { usersFile: this.path, err: error },
        "cannot stat users file; keeping the users loaded",
      );
      return;
    }
    if (version === this.fileVersion) return;
    try {
      const lines = await readUsersFile(this.path);
      if (lines === undefined) throw new Error("the file disappeared");
      this.adopt(lines);
      this.fileVersion = version;
      this.logger.info({ usersFile: this.path, users: this.size }, "users file changed: reloaded");
    } catch (error) {
      this.fileVersion = version;
      this.logger.error(
        { usersFile: this.path, err: error },
        "users file changed but cannot be loaded; keeping the users loaded before",
      );
    }
  }
}

function isDefaultUsersFile(path: string): boolean {
  return resolve(path) === resolve(DEFAULT_USERS_FILE);
}

async function createDemoFile(path: string, params: ScryptParams): Promise<UsersFileLine[]> {
  let lines: UsersFileLine[] = [{ kind: "other", text: USERS_FILE_HEADER }];
  for (const account of DEMO_ACCOUNTS) {
    lines = setUser(lines, account.name, await hashPassword(account.password, params)).lines;
  }
  await writeUsersFile(path, lines);
  return lines;
}

// Rename-on-write changes the inode, and an edit in place changes mtime or size.
async function fileVersionOf(path: string): Promise<string> {
  const info = await stat(path);
  return `${info.ino}:${info.mtimeMs}:${info.size}`;
}
