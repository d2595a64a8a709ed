/**
 * `parrot server` options, put together: each comes from its flag, environment variable or config
 * file (option-sources.ts; flags > environment > file > defaults), as the flag table lists them
 * (server-flags.ts), and is parsed in the file of its concept (timers, transports, cluster).
 * Parsing never exits the process; it returns a ServerConfig or throws ConfigError, and
 * server-command.ts prints it.
 */
import { MemoryMessageStore } from "../../server/history/memory-message-store.ts";
import { LOG_LEVELS, type Logger, type LogLevel } from "../../server/logger.ts";
import {
  DEFAULT_HOST,
  DEFAULT_PORT,
  DEFAULT_VERSIONS,
  type ParrotServerOptions,
} from "../../server/parrot-server.ts";
import { DEFAULT_USERS_FILE } from "../../server/users-file.ts";
import { type ClusterConfig, parseCluster } from "./cluster-config.ts";
import { ConfigError } from "./config-error.ts";
import { type HistoryConfig, parseHistoryConfig } from "./history-option.ts";
import { type OptionSources, readOptionSources } from "./option-sources.ts";
import { parseInteger, parseListenAddress, parsePort, parseVersions } from "./option-values.ts";
import { parseTimers } from "./timer-config.ts";
import {
  parseAllowPlaintext,
  parseQuicPort,
  parseTls,
  parseWebSocket,
  type TlsConfig,
  type WebSocketConfig,
} from "./transport-config.ts";

export { ConfigError } from "./config-error.ts";
export { SERVER_USAGE } from "./server-usage.ts";
export { isLoopbackHost, type WebSocketConfig } from "./transport-config.ts";

export interface ServerConfig {
  host: string;
  port: number;
  usersFile: string;
  pingIntervalMs: number;
  pingTimeoutMs: number;
  handshakeTimeoutMs: number;
  /** Infinity when unlimited. */
  maxConnections: number;
  tls: TlsConfig | undefined;
  /** Also serve QUIC on this UDP port (same host, same certificate); needs `tls`. */
  quicPort?: number;
  logLevel: LogLevel;
  /** Protocol versions offered in negotiation, ascending. */
  versions: number[];
  /** --allow-plaintext: listen off loopback without TLS (passwords then cross the network in clear). */
  allowPlaintext: boolean;
  /** --admin-listen: where /metrics and /healthz are served; undefined for none. */
  admin: { host: string; port: number } | undefined;
  /** Join the cluster sharing this Redis (server/cluster/); undefined: a server on its own. */
  cluster: ClusterConfig | undefined;
  /** (v3) Where history is kept and its limits (history-option.ts). */
  history: HistoryConfig;
  /** Also serve WebSocket (spec §2.3) on this port and path; wss when `tls` is set. */
  webSocket?: WebSocketConfig;
}

/** Parses argv (without "server"); returns "help" for --help. Throws ConfigError. */
export function parseServerConfig(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): ServerConfig | "help" {
  const options = readOptionSources(argv, env);
  if (options.help) return "help";

  const host = options.value("listen")?.text ?? DEFAULT_HOST;
  const portOption = options.value("port");
  const port = portOption === undefined ? DEFAULT_PORT : parsePort(portOption);
  const maxOption = options.value("max-connections");
  const tls = parseTls(options);
  const quicPort = parseQuicPort(options, tls);
  const allowPlaintext = parseAllowPlaintext(options, host, tls);
  const adminOption = options.value("admin-listen");
  const versionsOption = options.value("versions");
  const webSocket = parseWebSocket(options);

  const cluster = parseCluster(options, port);
  return {
    cluster,
    history: parseHistoryConfig(
      (name) => options.value(name),
      cluster,
      (message) => new ConfigError(message),
    ),
    host,
    port,
    usersFile: options.value("users")?.text ?? DEFAULT_USERS_FILE,
    ...parseTimers(options),
    maxConnections:
      maxOption === undefined ? Number.POSITIVE_INFINITY : parseInteger(maxOption, 1, 10_000_000),
    tls,
    ...(quicPort === undefined ? {} : { quicPort }),
    logLevel: parseLogLevel(options),
    versions: versionsOption === undefined ? [...DEFAULT_VERSIONS] : parseVersions(versionsOption),
    ...(webSocket === undefined ? {} : { webSocket }),
    allowPlaintext,
    admin: adminOption === undefined ? undefined : parseListenAddress(adminOption),
  };
}

function parseLogLevel(options: OptionSources): LogLevel {
  const option = options.value("log-level");
  const level = (option?.text ?? "info") as LogLevel;
  if (!LOG_LEVELS.includes(level)) {
    throw new ConfigError(`${option?.source}: "${level}" is not one of ${LOG_LEVELS.join(", ")}`);
  }
  return level;
}

/**
 * The server options a parsed command line asks for (TLS files aside, which the caller reads).
 * One mapping, so `parrot server` and anything started with the same flags (the conformance
 * suite's broken variants) cannot drift apart.
 */
export function serverOptionsFromConfig(config: ServerConfig, logger: Logger): ParrotServerOptions {
  return {
    host: config.host,
    port: config.port,
    usersFile: config.usersFile,
    pingIntervalMs: config.pingIntervalMs,
    pingTimeoutMs: config.pingTimeoutMs,
    handshakeTimeoutMs: config.handshakeTimeoutMs,
    maxConnections: config.maxConnections,
    supportedVersions: config.versions,
    // A file or Redis store is opened by server-command.ts (history-option.ts), which may wait.
    historyStore:
      config.history.store.kind === "memory"
        ? new MemoryMessageStore(config.history.limits)
        : undefined,
    historyPageSize: config.history.pageSize,
    logger,
  };
}
