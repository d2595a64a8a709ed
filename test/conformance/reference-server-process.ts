/**
 * The reference server as a separate process (`parrot server`, through test/server/parrot-process.ts),
 * started the way an operator would, with the conformance fixture accounts and short timers: the
 * target of `make conformance TARGET=...`.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LAUNCH_TIMERS, provisionReferenceUsers } from "../../conformance/support/launcher.ts";
import {
  DEFAULT_SCRYPT_PARAMS,
  hashPassword,
  type ScryptParams,
} from "../../server/password-hash.ts";
import { formatUserLine, USERS_FILE_HEADER } from "../../server/users-file.ts";
import { startServerProcess } from "../server/parrot-process.ts";
import { REPO } from "./run-suite.ts";

export const ACCOUNTS = join(REPO, "conformance", "fixtures", "accounts.json");

export interface ServerProcess {
  port: number;
  stop(): Promise<void>;
}

/**
 * A users file with exactly `accounts`, hashed in parallel in this process (useradd hashes one at a
 * time): with the default, production-strength scrypt unless `params` says otherwise.
 */
export async function usersFileOf(
  accounts: readonly { name: string; password: string }[],
  params: ScryptParams = DEFAULT_SCRYPT_PARAMS,
): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), "parrot-conformance-users-")), "users.txt");
  const lines = await Promise.all(
    accounts.map(async ({ name, password }) =>
      formatUserLine(name, await hashPassword(password, params)),
    ),
  );
  writeFileSync(file, `${[USERS_FILE_HEADER, ...lines].join("\n")}\n`, { mode: 0o600 });
  return file;
}

/** A users file with every fixture account, provisioned through `parrot useradd --batch`. */
export async function provisionedUsersFile(): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), "parrot-conformance-users-")), "users.txt");
  await provisionReferenceUsers(file, ACCOUNTS);
  return file;
}

export async function startReferenceServer(
  usersFile: string,
  extraArgs: string[] = [],
): Promise<ServerProcess> {
  const server = await startServerProcess([
    "-l",
    "127.0.0.1",
    "-p",
    "0",
    "--users",
    usersFile,
    "--ping-interval",
    String(LAUNCH_TIMERS.pingIntervalS),
    "--ping-timeout",
    String(LAUNCH_TIMERS.pingTimeoutS),
    "--handshake-timeout",
    String(LAUNCH_TIMERS.handshakeTimeoutS),
    "--log-level",
    "warn",
    ...extraArgs,
  ]);
  return { port: server.address.port, stop: server.stop };
}
