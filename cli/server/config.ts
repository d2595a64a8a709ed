/**
 * `parrot server` options: command-line flags, environment variables, a config file
 * (config-file.ts; flags > environment > file), defaults from the spec's timer table. Seconds may be fractional (tests use 0.5). Parsing never exits the
 * process; it returns a ServerConfig or throws ConfigError, and server-command.ts prints it.
 */
import { hostname } from "node:os";
import { parseArgs } from "node:util";
import { TIMER_DEFAULTS_MS } from "../../generated/index.ts";
import { DEFAULT_LEASE_MS } from "../../server/cluster/redis-login-registry.ts";
import { MemoryMessageStore } from "../../server/history/memory-message-store.ts";
import { LOG_LEVELS, type Logger, type LogLevel } from "../../server/logger.ts";
import {
  DEFAULT_HOST,
  DEFAULT_PORT,
  DEFAULT_VERSIONS,
  type ParrotServerOptions,
} from "../../server/parrot-server.ts";
import { DEFAULT_USERS_FILE } from "../../server/users-file.ts";
import { isLoopbackIp } from "../../transport/address.ts";
import { ConfigFileError, type FileOption, readConfigFile } from "./config-file.ts";
import { HISTORY_USAGE, type HistoryConfig, parseHistoryConfig } from "./history-config.ts";

export interface ServerConfig {
  host: string;
  port: number;
  usersFile: string;
  pingIntervalMs: number;
  pingTimeoutMs: number;
  handshakeTimeoutMs: number;
  /** Infinity when unlimited. */
  maxConnections: number;
  tls: { certFile: string; keyFile: string } | undefined;
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
  cluster: { url: string; nodeId: string; leaseMs: number } | undefined;
  /** Also serve WebSocket (spec §2.3) on this port and path; wss when `tls` is set. */
  webSocket?: WebSocketConfig;
  /** (v3) How much history the in-memory store keeps. */
  history: HistoryConfig;
}

export interface WebSocketConfig {
  port: number;
  path: string;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

// A u4 in VERSION_RESPONSE carries the advertised timers.
const MAX_TIMER_MS = 0xffff_ffff;
// pingTimeout = 1.5 x pingInterval, as protocol.json's defaults (and MQTT's keep-alive) do.
const TIMEOUT_PER_INTERVAL = TIMER_DEFAULTS_MS.pingTimeout / TIMER_DEFAULTS_MS.pingInterval;

export const SERVER_USAGE = `Usage: parrot server [options]

Runs the Parrot reference server. Prints one line on stdout per listener once it listens:
  parrot server listening on HOST:PORT (tcp|tls)
  parrot server listening on HOST:PORT (ws|wss)      with --ws-port
Logs go to stderr (JSON, or human-readable in a terminal).

Options (environment variable in brackets; flags win over it, and it over the config file):
      --config FILE            read options from this YAML file, keys named as the long
                               flags: "port: 4000" (example: contrib/parrot.yaml) [PARROT_CONFIG]
  -l, --listen ADDR            address to listen on (default ${DEFAULT_HOST}) [PARROT_LISTEN]
  -p, --port PORT              port, 0 = pick a free one (default ${DEFAULT_PORT}) [PARROT_PORT]
      --users FILE             users file; only the default one is created (with the demo
                               accounts user1/pass1 and user2/pass2) when missing
                               (default ${DEFAULT_USERS_FILE}) [PARROT_USERS]
      --ping-interval SECONDS  ping interval advertised to clients (default ${TIMER_DEFAULTS_MS.pingInterval / 1000})
                               [PARROT_PING_INTERVAL]
      --ping-timeout SECONDS   close sessions silent this long (default ${TIMER_DEFAULTS_MS.pingTimeout / 1000}, or 1.5 x the
                               ping interval when only that is given) [PARROT_PING_TIMEOUT]
      --handshake-timeout SECONDS
                               close connections not logged in this long after connecting
                               (default ${TIMER_DEFAULTS_MS.handshakeTimeout / 1000}) [PARROT_HANDSHAKE_TIMEOUT]
      --max-connections N      refuse connections beyond N with ERROR SERVER_FULL
                               (default unlimited) [PARROT_MAX_CONNECTIONS]
      --versions LIST          protocol versions to offer, comma-separated, e.g. 1 for a
                               version-1-only server (default ${DEFAULT_VERSIONS.join(",")}) [PARROT_VERSIONS]
${HISTORY_USAGE}
      --tls-cert FILE          serve TLS with this PEM certificate ... [PARROT_TLS_CERT]
      --tls-key FILE           ... and this PEM private key [PARROT_TLS_KEY]
      --ws-port PORT           also serve WebSocket (wss with --tls-cert) on this port, same
                               address, users and rooms; 0 = pick a free one [PARROT_WS_PORT]
      --ws-path PATH           the WebSocket path (default /) [PARROT_WS_PATH]
      --quic-port PORT         also serve QUIC on this UDP port, beside TCP/TLS; needs
                               --tls-cert/--tls-key (spec §14) [PARROT_QUIC_PORT]
      --log-level LEVEL        ${LOG_LEVELS.join(", ")} (default info) [PARROT_LOG_LEVEL]
      --cluster URL            join the cluster of every server sharing this Redis,
                               redis://HOST:PORT[/DB]: one login per user across all of them
                               (default: none, a server on its own) [PARROT_CLUSTER]
      --node-id NAME           this server's name in the cluster's logs and leases
                               (default HOSTNAME:PORT+PID) [PARROT_NODE_ID]
      --cluster-lease SECONDS  how long the logins of a server that died stay taken
                               (default ${DEFAULT_LEASE_MS / 1000}) [PARROT_CLUSTER_LEASE]
      --admin-listen [ADDR:]PORT
                               serve /metrics (Prometheus) and /healthz over HTTP here;
                               ADDR defaults to 127.0.0.1 (default: none) [PARROT_ADMIN_LISTEN]
      --allow-plaintext        listen off loopback without TLS; logins then carry passwords
                               in clear, so the server refuses to unless given this
                               [PARROT_ALLOW_PLAINTEXT=1]
  -h, --help                   show this help

Seconds may be fractional (e.g. 0.5). SIGINT or SIGTERM shuts down gracefully: every client gets
ERROR SERVER_SHUTDOWN, then the server exits 0. SIGHUP reloads the users file, the TLS
certificate and key and the log level, and logs what changed.`;

/** Parses argv (without "server"); returns "help" for --help. Throws ConfigError. */
export function parseServerConfig(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): ServerConfig | "help" {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        config: { type: "string" },
        listen: { type: "string", short: "l" },
        port: { type: "string", short: "p" },
        users: { type: "string" },
        "ping-interval": { type: "string" },
        "ping-timeout": { type: "string" },
        "handshake-timeout": { type: "string" },
        "max-connections": { type: "string" },
        versions: { type: "string" },
        "tls-cert": { type: "string" },
        "tls-key": { type: "string" },
        "ws-port": { type: "string" },
        "ws-path": { type: "string" },
        "quic-port": { type: "string" },
        "log-level": { type: "string" },
        cluster: { type: "string" },
        "node-id": { type: "string" },
        "cluster-lease": { type: "string" },
        "allow-plaintext": { type: "boolean" },
        "admin-listen": { type: "string" },
        "history-count": { type: "string" },
        "offline-queue": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  if (values["help"] === true) return "help";
  const fromFile = configFileOptions(values["config"], env);
  const pick = (flag: string, variable: string): { text: string; source: string } | undefined => {
    const fromFlag = values[flag];
    if (typeof fromFlag === "string") return { text: fromFlag, source: `--${flag}` };
    const fromEnv = env[variable];
    if (fromEnv !== undefined && fromEnv !== "") return { text: fromEnv, source: variable };
    return fromFile.get(flag);
  };

  const host = pick("listen", "PARROT_LISTEN")?.text ?? DEFAULT_HOST;
  const portOption = pick("port", "PARROT_PORT");
  const port = portOption === undefined ? DEFAULT_PORT : parseInteger(portOption, 0, 65535);
  const usersFile = pick("users", "PARROT_USERS")?.text ?? DEFAULT_USERS_FILE;

  const intervalOption = pick("ping-interval", "PARROT_PING_INTERVAL");
  const timeoutOption = pick("ping-timeout", "PARROT_PING_TIMEOUT");
  let pingIntervalMs = intervalOption === undefined ? undefined : parseSeconds(intervalOption);
  let pingTimeoutMs = timeoutOption === undefined ? undefined : parseSeconds(timeoutOption);
  if (pingIntervalMs === undefined && pingTimeoutMs === undefined) {
    pingIntervalMs = TIMER_DEFAULTS_MS.pingInterval;
    pingTimeoutMs = TIMER_DEFAULTS_MS.pingTimeout;
  } else if (pingTimeoutMs === undefined) {
    pingTimeoutMs = Math.min(MAX_TIMER_MS, Math.round(pingIntervalMs! * TIMEOUT_PER_INTERVAL));
  } else if (pingIntervalMs === undefined) {
    pingIntervalMs = Math.max(1, Math.round(pingTimeoutMs / TIMEOUT_PER_INTERVAL));
  }
  if (pingTimeoutMs! <= pingIntervalMs!) {
    // REQ-7.6: a client pinging exactly on time must never be timed out.
    throw new ConfigError(
      `the ping timeout (${pingTimeoutMs} ms) must be longer than the ping interval (${pingIntervalMs} ms)`,
    );
  }
  const handshakeOption = pick("handshake-timeout", "PARROT_HANDSHAKE_TIMEOUT");
  const handshakeTimeoutMs =
    handshakeOption === undefined
      ? TIMER_DEFAULTS_MS.handshakeTimeout
      : parseSeconds(handshakeOption);

  const maxOption = pick("max-connections", "PARROT_MAX_CONNECTIONS");
  const maxConnections =
    maxOption === undefined ? Number.POSITIVE_INFINITY : parseInteger(maxOption, 1, 10_000_000);

  const certFile = pick("tls-cert", "PARROT_TLS_CERT")?.text;
  const keyFile = pick("tls-key", "PARROT_TLS_KEY")?.text;
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new ConfigError("--tls-cert and --tls-key go together: give both or neither");
  }
  const tls = certFile !== undefined && keyFile !== undefined ? { certFile, keyFile } : undefined;
  const quicPortOption = pick("quic-port", "PARROT_QUIC_PORT");
  const quicPort =
    quicPortOption === undefined ? undefined : parseInteger(quicPortOption, 0, 65535);
  if (quicPort !== undefined && tls === undefined) {
    throw new ConfigError(
      `${quicPortOption?.source} needs --tls-cert and --tls-key: QUIC always runs TLS 1.3`,
    );
  }

  const allowPlaintext =
    values["allow-plaintext"] === true ||
    env["PARROT_ALLOW_PLAINTEXT"] === "1" ||
    fromFile.get("allow-plaintext")?.text === "true";
  if (tls === undefined && !isLoopbackHost(host) && !allowPlaintext) {
    throw new ConfigError(
      `${host} is off loopback and there is no TLS: logins would carry passwords in clear. ` +
        "Give --tls-cert and --tls-key, or --allow-plaintext to accept that",
    );
  }

  const adminOption = pick("admin-listen", "PARROT_ADMIN_LISTEN");
  const admin = adminOption === undefined ? undefined : parseAdminAddress(adminOption);

  const levelOption = pick("log-level", "PARROT_LOG_LEVEL");
  const logLevel = (levelOption?.text ?? "info") as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(
      `${levelOption?.source}: "${logLevel}" is not one of ${LOG_LEVELS.join(", ")}`,
    );
  }

  const versionsOption = pick("versions", "PARROT_VERSIONS");
  const versions =
    versionsOption === undefined ? [...DEFAULT_VERSIONS] : parseVersions(versionsOption);

  const webSocket = parseWebSocket(
    pick("ws-port", "PARROT_WS_PORT"),
    pick("ws-path", "PARROT_WS_PATH"),
  );

  return {
    cluster: parseCluster(pick, port),
    host,
    port,
    usersFile,
    pingIntervalMs: pingIntervalMs!,
    pingTimeoutMs: pingTimeoutMs!,
    handshakeTimeoutMs,
    maxConnections,
    tls,
    ...(quicPort === undefined ? {} : { quicPort }),
    logLevel,
    versions,
    ...(webSocket === undefined ? {} : { webSocket }),
    allowPlaintext,
    admin,
    history: parseHistoryConfig(
      pick("history-count", "PARROT_HISTORY_COUNT"),
      pick("offline-queue", "PARROT_OFFLINE_QUEUE"),
      parseInteger,
    ),
  };
}

/** "PORT", "ADDR:PORT" or "[V6]:PORT"; loopback when no address is given. */
function parseAdminAddress(option: { text: string; source: string }): {
  host: string;
  port: number;
} {
  const match = /^(?:(?:\[([^\]]+)\]|([^:[\]]+)):)?([0-9]+)$/.exec(option.text.trim());
  if (match === null) {
    throw new ConfigError(
      `${option.source}: "${option.text}" is not [ADDR:]PORT, e.g. 127.0.0.1:9464`,
    );
  }
  const host = match[1] ?? match[2] ?? "127.0.0.1";
  return { host, port: parseInteger({ text: match[3]!, source: option.source }, 0, 65535) };
}

/** Only this machine can reach a loopback listener, so a plaintext login never crosses a network. */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || isLoopbackIp(host);
}

/** Options a config file may set: every flag that takes a value, and allow-plaintext. */
const FILE_KEYS = [
  "listen",
  "port",
  "users",
  "ping-interval",
  "ping-timeout",
  "handshake-timeout",
  "max-connections",
  "versions",
  "tls-cert",
  "tls-key",
  "log-level",
  "allow-plaintext",
  "admin-listen",
  "history-count",
  "offline-queue",
];

/** The --config (or PARROT_CONFIG) file's options; none without one. */
function configFileOptions(flag: string | boolean | undefined, env: NodeJS.ProcessEnv) {
  const path = typeof flag === "string" ? flag : env["PARROT_CONFIG"] || undefined;
  if (path === undefined) return new Map<string, FileOption>();
  try {
    return readConfigFile(path, FILE_KEYS);
  } catch (error) {
    if (error instanceof ConfigFileError) throw new ConfigError(error.message);
    throw error;
  }
}

type Pick = (flag: string, variable: string) => { text: string; source: string } | undefined;

function parseCluster(pick: Pick, port: number): ServerConfig["cluster"] {
  const urlOption = pick("cluster", "PARROT_CLUSTER");
  const nodeId = pick("node-id", "PARROT_NODE_ID")?.text;
  const leaseOption = pick("cluster-lease", "PARROT_CLUSTER_LEASE");
  if (urlOption === undefined) {
    if (nodeId !== undefined || leaseOption !== undefined) {
      throw new ConfigError("--node-id and --cluster-lease only mean something with --cluster");
    }
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(urlOption.text);
  } catch {
    throw new ConfigError(`${urlOption.source}: "${urlOption.text}" is not a redis:// URL`);
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") {
    throw new ConfigError(`${urlOption.source}: "${urlOption.text}" is not a redis:// URL`);
  }
  // Three renewals per lease (server/cluster/redis-login-registry.ts): at least 3 ms.
  const leaseMs = leaseOption === undefined ? DEFAULT_LEASE_MS : parseSeconds(leaseOption);
  if (leaseMs < 3)
    throw new ConfigError(`${leaseOption!.source}: the lease must be at least 0.003 s`);
  return { url: urlOption.text, nodeId: nodeId ?? `${hostname()}:${port}+${process.pid}`, leaseMs };
}

function parseWebSocket(
  portOption: { text: string; source: string } | undefined,
  pathOption: { text: string; source: string } | undefined,
): WebSocketConfig | undefined {
  if (portOption === undefined) {
    if (pathOption !== undefined) throw new ConfigError(`${pathOption.source} needs --ws-port`);
    return undefined;
  }
  const path = pathOption?.text ?? "/";
  if (!/^\/[\x21-\x7e]*$/.test(path) || path.includes("?") || path.includes("#")) {
    throw new ConfigError(`${pathOption?.source}: "${path}" is not an HTTP path such as /parrot`);
  }
  return { port: parseInteger(portOption, 0, 65535), path };
}

function parseVersions(option: { text: string; source: string }): number[] {
  const items = option.text.split(",").map((item) => item.trim());
  const versions = new Set<number>();
  for (const item of items) {
    const version = Number(item);
    if (!/^[0-9]+$/.test(item) || !DEFAULT_VERSIONS.includes(version)) {
      throw new ConfigError(
        `${option.source}: "${item}" is not a version this server implements (${DEFAULT_VERSIONS.join(", ")})`,
      );
    }
    versions.add(version);
  }
  return [...versions].sort((a, b) => a - b);
}

function parseInteger(option: { text: string; source: string }, min: number, max: number): number {
  const value = Number(option.text);
  if (!/^[0-9]+$/.test(option.text.trim()) || value < min || value > max) {
    throw new ConfigError(
      `${option.source}: "${option.text}" is not a whole number from ${min} to ${max}`,
    );
  }
  return value;
}

function parseSeconds(option: { text: string; source: string }): number {
  const seconds = Number(option.text);
  const ms = Math.round(seconds * 1000);
  if (option.text.trim() === "" || !Number.isFinite(seconds) || ms < 1 || ms > MAX_TIMER_MS) {
    throw new ConfigError(
      `${option.source}: "${option.text}" is not a number of seconds from 0.001 to ${MAX_TIMER_MS / 1000}`,
    );
  }
  return ms;
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
    historyStore: new MemoryMessageStore({
      historyCount: config.history.count,
      offlineQueue: config.history.offlineQueue,
    }),
    logger,
  };
}
