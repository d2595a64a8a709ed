/**
 * The one in-process launcher: the reference server as a library (`startParrotServer`) in the
 * test's own process, on 127.0.0.1 and a free port, with a users file of test accounts at a low
 * scrypt cost (test-accounts.ts), and no log output unless PARROT_TEST_LOG_LEVEL is set (e.g. to
 * "debug"). Any option the library takes overrides these, a cluster node's shared state included.
 *
 * For what a user or a script sees of the command line (its listening line, exit codes, signals),
 * start the real CLI in its own process instead: parrot-process.ts.
 */
import { createLogger, silentLogger } from "../../server/logger.ts";
import {
  type ParrotServerOptions,
  type RunningParrotServer,
  startParrotServer,
} from "../../server/parrot-server.ts";
import { type TestAccount, writeFastUsersFile } from "./test-accounts.ts";

export interface TestServerOptions extends ParrotServerOptions {
  /** The accounts of the users file written when `usersFile` is not given; default TEST_ACCOUNTS. */
  accounts?: readonly TestAccount[];
}

export async function startTestServer(
  options: TestServerOptions = {},
): Promise<RunningParrotServer> {
  const level = process.env["PARROT_TEST_LOG_LEVEL"];
  const { accounts, ...serverOptions } = options;
  return startParrotServer({
    host: "127.0.0.1",
    port: 0,
    usersFile: options.usersFile ?? (await writeFastUsersFile(accounts)),
    logger: level ? createLogger({ level: level as "debug", pretty: false }) : silentLogger(),
    ...serverOptions,
  });
}
