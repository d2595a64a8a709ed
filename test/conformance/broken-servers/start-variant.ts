/**
 * Starts a deliberately broken variant of the reference server, for the conformance suite's own tests
 * (test/conformance/broken-variants.test.ts). It takes the same flags as `parrot server` and prints the
 * same listening line, so the suite launches it like any implementation:
 *   conformance/run.ts --launch "node --import tsx test/conformance/broken-servers/X.ts -l {host} -p 0 ..."
 *
 * Each variant is the reference server with ONE seam of ParrotServerOptions used (documented in
 * server/README.md): a handler override (`handlers: { CHAT: ... }`, which may call the reference
 * handler from SERVER_HANDLERS), or one collaborator swapped (`logins`, `timeouts`, `rooms`,
 * `classify`, ...); everything else is the real server, so a scenario that fails against a variant
 * fails because of that one fault. It resolves to the running server (`undefined` for --help).
 *
 * Not a launcher like tools/launch/'s: this is the server program itself, the process the suite's
 * launcher contract starts, so it parses `parrot server` flags as the CLI does and prints the CLI's
 * listening line.
 */

import {
  ConfigError,
  parseServerConfig,
  serverOptionsFromConfig,
} from "../../../cli/server/config.ts";
import { createLogger } from "../../../server/logger.ts";
import {
  type ParrotServerOptions,
  type RunningParrotServer,
  startParrotServer,
} from "../../../server/parrot-server.ts";
import { formatAddress } from "../../../transport/address.ts";

export async function startVariant(
  name: string,
  swap: (options: ParrotServerOptions) => Partial<ParrotServerOptions>,
): Promise<RunningParrotServer | undefined> {
  let config: ReturnType<typeof parseServerConfig>;
  try {
    config = parseServerConfig(process.argv.slice(2), {});
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${name}: ${error.message}\n`);
    process.exit(2);
  }
  if (config === "help") {
    process.stdout.write(`${name}: a broken variant of parrot server; takes the same flags\n`);
    return undefined;
  }
  const logger = createLogger({ level: config.logLevel });
  logger.warn({ variant: name }, "this server is broken on purpose: a conformance test fixture");
  const options = serverOptionsFromConfig(config, logger);
  const server = await startParrotServer({ ...options, ...swap(options) });
  const { host, port, transport } = server.address;
  process.stdout.write(`parrot server listening on ${formatAddress(host, port)} (${transport})\n`);
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  return server;
}
