/**
 * The command line of conformance/run.ts (`make conformance ARGS="..."`), parsed into one options object.
 * Bad options are a usage error (exit 2), never a failed run.
 */

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { TIMER_DEFAULTS_MS } from "../../generated/index.ts";
import { dialerKinds } from "../../transport/all-dialers.ts";
import {
  type ExpectedFailure,
  ExpectedFailuresError,
  readExpectedFailures,
} from "../report/expected-failures.ts";
import { type SuiteDefaults, shownPath } from "./suite-defaults.ts";

/** The help text, naming the defaults this run uses (suite-defaults.ts). */
export function usage(defaults: SuiteDefaults): string {
  return `Usage: ${defaults.command} [options]

Runs the Parrot conformance suite against a server.

Target (default: launch the reference server on a free port with short timers):
  --target HOST:PORT       judge a server that is already running; HOST:PORT,HOST:PORT,... judges
                           the nodes of one service: a scenario's sessions are spread over them
                           round-robin (conformance/README.md, "Several targets")
  --launch "COMMAND"       start the server under test with COMMAND (see conformance/README.md:
                           placeholders {host} {port} {accounts} {ping_interval} {ping_timeout}
                           {handshake_timeout} {typing_timeout} {node}; it must print
                           "listening on HOST:PORT")
  --nodes N                launch N instances (of COMMAND, or of the reference server) and judge
                           them as the nodes of one service, as --target with N targets (default 1)
  --launch-timeout S       how long COMMAND may take to start listening (default 30)
  --tls                    connect with TLS
  --transport KIND         tcp, tls, quic or ws (transport/all-dialers.ts); quic launches the
                           reference server with --quic-port and a throwaway certificate, ws with
                           --ws-port (wss with --tls) (default tcp, or tls with --tls)
  --ws-path PATH           the server's WebSocket path, with --transport ws (default /)
  --ca FILE                CA certificate (PEM) to verify the server with
  --insecure               do not verify the server's certificate
  --servername NAME        TLS server name to verify, if not the target host

Selection and verdict:
  --tags EXPR              cucumber tag expression, e.g. "@MUST and @v1", "@REQ-5.3"
  --name REGEX             run only scenarios whose name matches
  --strict                 SHOULD failures also fail the run
  --expected-failures FILE known failures of this implementation (YAML: requirement or scenario,
                           reason, link); reported apart, they do not fail the run
  --list                   list the scenarios (with their tags) instead of running them

Timers and load:
  --max-timer S            longest wait on a server timer (default 60); scenarios needing more
                           are reported unsupported
  --handshake-timeout S    the server's handshake timeout (not advertised on the wire); without it
                           the handshake scenarios are unsupported
  --typing-timeout S       the server's typing timeout (version 2; not advertised on the wire)
                           (default ${TIMER_DEFAULTS_MS.typingTimeout / 1000}, the spec's)
  --reply-timeout S        how long to wait for an immediate reply (default 5)
  --slack S                scheduling slack added to the late side of timer windows, after the
                           spec's tolerance (default 0.25); the early side has none
  --tolerance S            the spec's timeout tolerance (default ${TIMER_DEFAULTS_MS.timeoutTolerance / 1000})
  --setup-timeout S        how long set-up may take: logging in every test account before the run,
                           and the 100-200 sessions of a load scenario (default 120); a load
                           scenario whose sessions are not all in by then is unsupported
  --sessions N             concurrent sessions (default 100, or PARROT_CONFORMANCE_SESSIONS)
  --messages N             CHATs per concurrent session (default 20, or PARROT_CONFORMANCE_MESSAGES)

Files:
  --accounts FILE          test accounts (default ${shownPath(defaults.accountsFile)})
  --reports DIR            where reports go (default ${shownPath(defaults.reportsDir)})
  -h, --help               this text
`;
}

export interface RunOptions {
  /** The servers to judge, in round-robin order; empty: launch them. */
  targets: { host: string; port: number }[];
  /** How many instances to launch when there is no --target. */
  nodes: number;
  launch: string | null;
  launchTimeoutMs: number;
  tls: boolean;
  /** The transport kind to dial: "tcp", "tls" or a plug-in ("quic", "ws"). */
  transport: string;
  /** The HTTP path of a WebSocket target (--ws-path). */
  wsPath: string;
  ca: string | undefined;
  insecure: boolean;
  servername: string | undefined;
  tags: string;
  names: string[];
  strict: boolean;
  /** The entries of --expected-failures (none without it). */
  expectedFailures: ExpectedFailure[];
  list: boolean;
  maxTimerMs: number;
  handshakeTimeoutMs: number | null;
  /** null: the launcher's value if it set one, else the spec's default. */
  typingTimeoutMs: number | null;
  replyTimeoutMs: number;
  slackMs: number;
  setupTimeoutMs: number;
  toleranceMs: number;
  sessions: number;
  messages: number;
  accountsFile: string;
  reportsDir: string;
  help: boolean;
}

export class UsageError extends Error {
  override name = "UsageError";
}

export function parseRunOptions(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  defaults: { accountsFile: string; reportsDir: string },
): RunOptions {
  let values: ReturnType<typeof parse>["values"];
  try {
    values = parse(argv).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.target && values.launch)
    throw new UsageError("--target and --launch exclude each other");
  if (values.target && values.nodes)
    throw new UsageError("--nodes launches servers: give several --target addresses instead");
  const options: RunOptions = {
    targets: values.target ? parseTargets(values.target) : [],
    nodes: count("--nodes", values.nodes, 1),
    launch: values.launch ?? null,
    launchTimeoutMs: seconds("--launch-timeout", values["launch-timeout"], 30),
    tls: values.tls ?? false,
    transport: values.transport ?? (values.tls ? "tls" : "tcp"),
    wsPath: values["ws-path"] ?? "/",
    ca: values.ca ? readCa(values.ca) : undefined,
    insecure: values.insecure ?? false,
    servername: values.servername,
    tags: values.tags ?? "",
    names: values.name ? [values.name] : [],
    strict: values.strict ?? false,
    expectedFailures: values["expected-failures"] ? readExpected(values["expected-failures"]) : [],
    list: values.list ?? false,
    maxTimerMs: seconds("--max-timer", values["max-timer"], 60),
    handshakeTimeoutMs:
      values["handshake-timeout"] === undefined
        ? null
        : seconds("--handshake-timeout", values["handshake-timeout"], 0),
    typingTimeoutMs:
      values["typing-timeout"] === undefined
        ? null
        : seconds("--typing-timeout", values["typing-timeout"], 0),
    replyTimeoutMs: seconds("--reply-timeout", values["reply-timeout"], 5),
    slackMs: seconds("--slack", values.slack, 0.25),
    setupTimeoutMs: seconds("--setup-timeout", values["setup-timeout"], 120),
    toleranceMs: seconds(
      "--tolerance",
      values.tolerance,
      TIMER_DEFAULTS_MS.timeoutTolerance / 1000,
    ),
    sessions: count("--sessions", values.sessions ?? env.PARROT_CONFORMANCE_SESSIONS, 100),
    messages: count("--messages", values.messages ?? env.PARROT_CONFORMANCE_MESSAGES, 20),
    accountsFile: values.accounts ?? defaults.accountsFile,
    // Absolute: cucumber writes its reports from the suite's own directory, not the caller's.
    reportsDir: resolve(values.reports ?? defaults.reportsDir),
    help: values.help ?? false,
  };
  if (!dialerKinds().includes(options.transport)) {
    throw new UsageError(
      `--transport must be one of ${dialerKinds().join(", ")}, got "${options.transport}"`,
    );
  }
  // Every transport but plain TCP and WebSocket carries TLS: its certificate options apply. Over
  // WebSocket, --tls means wss.
  if (options.transport !== "tcp" && options.transport !== "ws") options.tls = true;
  if (values["ws-path"] !== undefined && options.transport !== "ws") {
    throw new UsageError("--ws-path needs --transport ws");
  }
  if (!options.wsPath.startsWith("/")) {
    throw new UsageError(`--ws-path must start with "/", got "${options.wsPath}"`);
  }
  if ((options.ca || options.insecure || options.servername) && !options.tls) {
    throw new UsageError("--ca, --insecure and --servername need --tls (or --transport tls/quic)");
  }
  return options;
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      target: { type: "string" },
      launch: { type: "string" },
      nodes: { type: "string" },
      "launch-timeout": { type: "string" },
      tls: { type: "boolean" },
      transport: { type: "string" },
      "ws-path": { type: "string" },
      ca: { type: "string" },
      insecure: { type: "boolean" },
      servername: { type: "string" },
      tags: { type: "string" },
      name: { type: "string" },
      strict: { type: "boolean" },
      "expected-failures": { type: "string" },
      list: { type: "boolean" },
      "max-timer": { type: "string" },
      "handshake-timeout": { type: "string" },
      "typing-timeout": { type: "string" },
      "reply-timeout": { type: "string" },
      slack: { type: "string" },
      "setup-timeout": { type: "string" },
      tolerance: { type: "string" },
      sessions: { type: "string" },
      messages: { type: "string" },
      accounts: { type: "string" },
      reports: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}

/** "host:port" or several, comma-separated ("a:1,b:2"): the nodes of one service. */
export function parseTargets(text: string): { host: string; port: number }[] {
  return text.split(",").map((part) => parseTarget(part.trim()));
}

/** "host:port", "[::1]:port". */
export function parseTarget(text: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(text);
  const port = Number(match?.[3]);
  if (!match || !(port >= 1 && port <= 65535)) {
    throw new UsageError(`--target must be HOST:PORT, got "${text}"`);
  }
  return { host: match[1] ?? match[2] ?? "", port };
}

function seconds(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback * 1000;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0)
    throw new UsageError(`${flag} must be seconds, got "${text}"`);
  return value * 1000;
}

function count(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new UsageError(`${flag} must be a whole number above 0, got "${text}"`);
  }
  return value;
}

function readExpected(file: string): ExpectedFailure[] {
  try {
    return readExpectedFailures(file);
  } catch (error) {
    if (!(error instanceof ExpectedFailuresError)) throw error;
    throw new UsageError(`--expected-failures ${error.message}`);
  }
}

function readCa(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`--ca ${file}: ${(error as Error).message}`);
  }
}
