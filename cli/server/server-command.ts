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
import { RedisCluster } from "../../server/cluster/redis-cluster.ts";
import { createLogger } from "../../server/logger.ts";
import { type RunningParrotServer, startParrotServer } from "../../server/parrot-server.ts";
import { PrometheusMetrics } from "../../server/prometheus-metrics.ts";
import { UsersFileError } from "../../server/users-file.ts";
import { formatAddress, isLoopbackIp } from "../../transport/address.ts";
import {
  ConfigError,
  isLoopbackHost,
  parseServerConfig,
  SERVER_USAGE,
  type ServerConfig,
  serverOptionsFromConfig,
} from "./config.ts";
import { HangupReload, type TlsFiles } from "./hangup-reload.ts";
import { type OpenedHistoryStore, openHistoryStore } from "./history-option.ts";
import { listenersFor } from "./listener-list.ts";
import { type RequestHandler, WEB_CLIENT_DIR, webClientHandler } from "./web-client-files.ts";

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

  const rootLogger = createLogger({ level: config.logLevel });
  // In a cluster every line says which node wrote it.
  const logger =
    config.cluster === undefined ? rootLogger : rootLogger.child({ node: config.cluster.nodeId });
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
  let cluster: RedisCluster | undefined;
  let tlsFiles: TlsFiles | undefined;
  let admin: AdminListener | undefined;
  let history: OpenedHistoryStore | undefined;
  try {
    if (config.cluster !== undefined) {
      cluster = await RedisCluster.connect({ ...config.cluster, logger });
      options.logins = cluster.logins;
      options.loginThrottle = { state: cluster.loginThrottle };
      options.directory = cluster.directory;
      options.presence = cluster.presence;
      options.rooms = cluster.rooms;
    }
    history = await openHistoryStore(config.history);
    if (history !== undefined) {
      options.historyStore = history.store;
      const roomMessages = cluster?.roomMessagesFor(history.store);
      if (roomMessages !== undefined) options.roomMessages = roomMessages;
    }
    if (config.tls !== undefined) {
      tlsFiles = {
        cert: await readFile(config.tls.certFile),
        key: await readFile(config.tls.keyFile),
      };
      options.tls = tlsFiles;
    }
    options.listeners = listenersFor(config, options, await webClient(config, logger));
    server = await startParrotServer(options);
    if (metrics !== undefined && config.admin !== undefined) {
      metrics.observe(server);
      const node = cluster;
      if (node !== undefined) metrics.observeClusterStore(() => node.storeReachable);
      const running = server;
      admin = await listenAdmin(metrics, config.admin).catch(async (error: unknown) => {
        await running.close();
        throw error;
      });
      logger.info({ host: admin.host, port: admin.port }, "admin listening: /metrics, /healthz");
    }
  } catch (error) {
    await history?.close();
    await cluster?.close();
    process.stderr.write(`parrot server: cannot start: ${describeStartError(error, config)}\n`);
    return 1;
  }

  // One line per listener, the first (TCP or TLS) first: scripts that wait for one line still can.
  for (const { host, port, transport } of server.addresses) {
    process.stdout.write(
      `parrot server listening on ${formatAddress(host, port)} (${transport})\n`,
    );
  }
  if (config.webSocket !== undefined && config.tls === undefined && !onLoopback(config.host)) {
    // REQ-2.16: a browser sends the password in LOGIN_REQUEST, in clear over plain ws.
    logger.warn(
      { host: config.host },
      "WebSocket without TLS off loopback: use --tls-cert/--tls-key",
    );
  }

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
  cluster?.beginShutdown();
  await server.close();
  await history?.close();
  // After the sessions are gone, so their lease releases reach Redis before the process exits.
  await cluster?.close();
  await admin?.close();
  return 0;
}

/** The web client's files for the WebSocket port, if --ws-port is given and the client is built. */
async function webClient(
  config: ServerConfig,
  logger: ReturnType<typeof createLogger>,
): Promise<RequestHandler | undefined> {
  if (config.webSocket === undefined) return undefined;
  try {
    return await webClientHandler(WEB_CLIENT_DIR, config.webSocket.path);
  } catch {
    logger.info({ dir: WEB_CLIENT_DIR }, "web client not built (make web): serving WebSocket only");
    return undefined;
  }
}

function onLoopback(host: string): boolean {
  return host === "localhost" || isLoopbackIp(host);
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
