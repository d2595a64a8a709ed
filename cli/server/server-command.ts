/**
 * `parrot server`: parses the options (config.ts), starts the server (parrot-server.ts), prints
 * the one stdout line scripts wait for, reloads on SIGHUP (hangup-reload.ts) and shuts down
 * gracefully on SIGINT/SIGTERM.
 *
 * Exit codes: 0 after a graceful shutdown or --help; 1 when the server cannot start (port in use,
 * unreadable users file or TLS files); 2 for bad options; 130 when a second signal forces exit.
 */
import { readFile } from "node:fs/promises";
import { type AdminListener, listenAdmin } from "../../server/admin-listener.ts";
import { createLogger } from "../../server/logger.ts";
import { type RunningParrotServer, startParrotServer } from "../../server/parrot-server.ts";
import { PrometheusMetrics } from "../../server/prometheus-metrics.ts";
import { UsersFileError } from "../../server/users-file.ts";
import { formatAddress } from "../../transport/address.ts";
import {
  ConfigError,
  isLoopbackHost,
  parseServerConfig,
  SERVER_USAGE,
  type ServerConfig,
  serverOptionsFromConfig,
} from "./config.ts";
import { HangupReload, type TlsFiles } from "./hangup-reload.ts";

export async function runServerCommand(argv: readonly string[]): Promise<number> {
  let config: ServerConfig | "help";
  try {
    config = parseServerConfig(argv, process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`parrot server: ${error.message}\n\n${SERVER_USAGE}\n`);
    return 2;
  }
  if (config === "help") {
    process.stdout.write(`${SERVER_USAGE}\n`);
    return 0;
  }

  const logger = createLogger({ level: config.logLevel });
  // Last resort: sessions guard their own code, so reaching these is a bug; one connection's bug
  // must still not stop the server for everyone else.
  process.on("uncaughtException", (error) =>
    logger.error({ err: error }, "uncaught exception; still serving"),
  );
  process.on("unhandledRejection", (error) =>
    logger.error({ err: error }, "unhandled rejection; still serving"),
  );

  // SIGHUP reloads (hangup-reload.ts) instead of killing the process, as operators expect; one
  // arriving before the server listens has nothing to reload yet.
  let hangup: HangupReload | undefined;
  const onHangup = () => {
    if (hangup === undefined) logger.info("SIGHUP before listening: nothing to reload");
    else void hangup.reload();
  };
  process.on("SIGHUP", onHangup);

  if (config.tls === undefined && !isLoopbackHost(config.host)) {
    // Allowed by --allow-plaintext (config.ts refuses it otherwise); say so before anything listens.
    logger.warn(
      { host: config.host },
      "--allow-plaintext: listening off loopback without TLS; passwords cross the network in clear",
    );
  }
  const options = serverOptionsFromConfig(config, logger);
  const metrics = config.admin === undefined ? undefined : new PrometheusMetrics();
  if (metrics !== undefined) options.metrics = metrics;
  let server: RunningParrotServer;
  let tlsFiles: TlsFiles | undefined;
  let admin: AdminListener | undefined;
  try {
    if (config.tls !== undefined) {
      tlsFiles = {
        cert: await readFile(config.tls.certFile),
        key: await readFile(config.tls.keyFile),
      };
      options.tls = tlsFiles;
    }
    server = await startParrotServer(options);
    if (metrics !== undefined && config.admin !== undefined) {
      metrics.observe(server);
      const running = server;
      admin = await listenAdmin(metrics, config.admin).catch(async (error: unknown) => {
        await running.close();
        throw error;
      });
      logger.info({ host: admin.host, port: admin.port }, "admin listening: /metrics, /healthz");
    }
  } catch (error) {
    process.stderr.write(`parrot server: cannot start: ${describeStartError(error, config)}\n`);
    return 1;
  }

  const { host, port, transport } = server.address;
  process.stdout.write(`parrot server listening on ${formatAddress(host, port)} (${transport})\n`);

  hangup = new HangupReload(server, logger, argv, config, tlsFiles);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  logger.info({ signal }, "signal received: shutting down (send it again to exit at once)");
  const force = () => process.exit(130);
  process.once("SIGINT", force);
  process.once("SIGTERM", force);
  process.off("SIGHUP", onHangup);
  admin?.markUnhealthy();
  await server.close();
  await admin?.close();
  return 0;
}

function describeStartError(error: unknown, config: ServerConfig): string {
  if (error instanceof UsersFileError) return error.message;
  const code = (error as NodeJS.ErrnoException).code;
  const where = formatAddress(config.host, config.port);
  if (code === "EADDRINUSE") return `${where} is already in use`;
  if (code === "EADDRNOTAVAIL") return `${config.host} is not an address of this machine`;
  if (code === "EACCES") return `not allowed to listen on ${where}`;
  return error instanceof Error ? error.message : String(error);
}
