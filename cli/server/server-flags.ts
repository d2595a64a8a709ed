/**
 * Every `parrot server` option, once: its flag, its environment variable, whether a config file
 * may set it, and its help text. The command line parser (option-sources.ts), the config file's
 * keys (config-file.ts), the --help text (server-usage.ts) and the README's option table (checked
 * by test/server/config-flags.test.ts) all come from this list, so an option cannot exist in one
 * and be missing from another.
 *
 * A new option is one row here, then its parsing in the file of its concept (timer-config.ts,
 * transport-config.ts, cluster-config.ts, ...) called from config.ts, and a row in the README's
 * table.
 */
import { LIMITS, TIMER_DEFAULTS_MS } from "../../generated/index.ts";
import { DEFAULT_LEASE_MS } from "../../server/cluster/redis-login-registry.ts";
import { DEFAULT_HISTORY_PAGE_SIZE } from "../../server/history/history-context.ts";
import { MEMORY_STORE_DEFAULTS } from "../../server/history/memory-message-store.ts";
import { LOG_LEVELS } from "../../server/logger.ts";
import { DEFAULT_HOST, DEFAULT_PORT, DEFAULT_VERSIONS } from "../../server/parrot-server.ts";
import { DEFAULT_USERS_FILE } from "../../server/users-file.ts";

export interface ServerFlag {
  /** The long flag without its dashes; also the config file's key. */
  name: string;
  short?: string;
  /** "value" takes an argument; "switch" is on when given (environment "1", file true). */
  kind: "value" | "switch";
  /** What the argument is, in the help: FILE, PORT, SECONDS. */
  argument?: string;
  variable: string;
  /** False for the options that choose the file or print help, which a file cannot. */
  inFile: boolean;
  help: string;
}

export const SERVER_FLAGS: readonly ServerFlag[] = [
  {
    name: "config",
    kind: "value",
    argument: "FILE",
    variable: "PARROT_CONFIG",
    inFile: false,
    help: 'read options from this YAML file, keys named as the long flags: "port: 4000" (example: contrib/parrot.yaml)',
  },
  {
    name: "listen",
    short: "l",
    kind: "value",
    argument: "ADDR",
    variable: "PARROT_LISTEN",
    inFile: true,
    help: `address to listen on (default ${DEFAULT_HOST})`,
  },
  {
    name: "port",
    short: "p",
    kind: "value",
    argument: "PORT",
    variable: "PARROT_PORT",
    inFile: true,
    help: `port, 0 = pick a free one (default ${DEFAULT_PORT})`,
  },
  {
    name: "users",
    kind: "value",
    argument: "FILE",
    variable: "PARROT_USERS",
    inFile: true,
    help: `users file; only the default one is created (with the demo accounts user1/pass1 and user2/pass2) when missing (default ${DEFAULT_USERS_FILE})`,
  },
  {
    name: "ping-interval",
    kind: "value",
    argument: "SECONDS",
    variable: "PARROT_PING_INTERVAL",
    inFile: true,
    help: `ping interval advertised to clients (default ${TIMER_DEFAULTS_MS.pingInterval / 1000})`,
  },
  {
    name: "ping-timeout",
    kind: "value",
    argument: "SECONDS",
    variable: "PARROT_PING_TIMEOUT",
    inFile: true,
    help: `close sessions silent this long (default ${TIMER_DEFAULTS_MS.pingTimeout / 1000}, or 1.5 x the ping interval when only that is given)`,
  },
  {
    name: "handshake-timeout",
    kind: "value",
    argument: "SECONDS",
    variable: "PARROT_HANDSHAKE_TIMEOUT",
    inFile: true,
    help: `close connections not logged in this long after connecting (default ${TIMER_DEFAULTS_MS.handshakeTimeout / 1000})`,
  },
  {
    name: "max-connections",
    kind: "value",
    argument: "N",
    variable: "PARROT_MAX_CONNECTIONS",
    inFile: true,
    help: "refuse connections beyond N with ERROR SERVER_FULL (default unlimited)",
  },
  {
    name: "versions",
    kind: "value",
    argument: "LIST",
    variable: "PARROT_VERSIONS",
    inFile: true,
    help: `protocol versions to offer, comma-separated, e.g. 1 for a version-1-only server (default ${DEFAULT_VERSIONS.join(",")})`,
  },
  {
    name: "tls-cert",
    kind: "value",
    argument: "FILE",
    variable: "PARROT_TLS_CERT",
    inFile: true,
    help: "serve TLS with this PEM certificate ...",
  },
  {
    name: "tls-key",
    kind: "value",
    argument: "FILE",
    variable: "PARROT_TLS_KEY",
    inFile: true,
    help: "... and this PEM private key",
  },
  {
    name: "ws-port",
    kind: "value",
    argument: "PORT",
    variable: "PARROT_WS_PORT",
    inFile: true,
    help: "also serve WebSocket (wss with --tls-cert) on this port, same address, users and rooms; 0 = pick a free one",
  },
  {
    name: "ws-path",
    kind: "value",
    argument: "PATH",
    variable: "PARROT_WS_PATH",
    inFile: true,
    help: "the WebSocket path (default /)",
  },
  {
    name: "quic-port",
    kind: "value",
    argument: "PORT",
    variable: "PARROT_QUIC_PORT",
    inFile: true,
    help: "also serve QUIC on this UDP port, beside TCP/TLS; needs --tls-cert/--tls-key (spec §14)",
  },
  {
    name: "log-level",
    kind: "value",
    argument: "LEVEL",
    variable: "PARROT_LOG_LEVEL",
    inFile: true,
    help: `${LOG_LEVELS.join(", ")} (default info)`,
  },
  {
    name: "cluster",
    kind: "value",
    argument: "URL",
    variable: "PARROT_CLUSTER",
    inFile: true,
    help: "join the cluster of every server sharing this Redis, redis://HOST:PORT[/DB]: one service across all of them (one login per user, users, DMs, rooms, typing, presence) (default: none, a server on its own)",
  },
  {
    name: "node-id",
    kind: "value",
    argument: "NAME",
    variable: "PARROT_NODE_ID",
    inFile: true,
    help: "this server's name in the cluster's logs and leases (default HOSTNAME:PORT+PID)",
  },
  {
    name: "cluster-lease",
    kind: "value",
    argument: "SECONDS",
    variable: "PARROT_CLUSTER_LEASE",
    inFile: true,
    help: `how long the logins of a server that died stay taken (default ${DEFAULT_LEASE_MS / 1000})`,
  },
  {
    name: "history",
    kind: "value",
    argument: "STORE",
    variable: "PARROT_HISTORY",
    inFile: true,
    help: "where version 3 keeps history and offline direct messages: memory (default on its own; gone at exit), file:PATH (an SQLite file kept across restarts) or redis (the cluster's Redis, default with --cluster)",
  },
  {
    name: "history-count",
    kind: "value",
    argument: "N",
    variable: "PARROT_HISTORY_COUNT",
    inFile: true,
    help: `newest messages kept per room or direct conversation; 0: by age only (file store) (default ${MEMORY_STORE_DEFAULTS.historyCount})`,
  },
  {
    name: "history-age",
    kind: "value",
    argument: "SECONDS",
    variable: "PARROT_HISTORY_AGE",
    inFile: true,
    help: "also forget messages older than this, whole seconds (default: kept while the count allows)",
  },
  {
    name: "offline-queue",
    kind: "value",
    argument: "N",
    variable: "PARROT_OFFLINE_QUEUE",
    inFile: true,
    help: `direct messages kept for one offline user; past it the oldest leaves (default ${MEMORY_STORE_DEFAULTS.offlineQueue})`,
  },
  {
    name: "history-page",
    kind: "value",
    argument: "N",
    variable: "PARROT_HISTORY_PAGE",
    inFile: true,
    help: `most messages in one history page, 1 to ${LIMITS.maxHistoryPage} (default ${DEFAULT_HISTORY_PAGE_SIZE})`,
  },
  {
    name: "admin-listen",
    kind: "value",
    argument: "[ADDR:]PORT",
    variable: "PARROT_ADMIN_LISTEN",
    inFile: true,
    help: "serve /metrics (Prometheus) and /healthz over HTTP here; ADDR defaults to 127.0.0.1 (default: none)",
  },
  {
    name: "allow-plaintext",
    kind: "switch",
    variable: "PARROT_ALLOW_PLAINTEXT",
    inFile: true,
    help: "listen off loopback without TLS; logins then carry passwords in clear, so the server refuses to unless given this",
  },
];

/** The keys a config file may set. */
export const FILE_KEYS: readonly string[] = SERVER_FLAGS.filter((flag) => flag.inFile).map(
  (flag) => flag.name,
);
