/**
 * Starting and stopping the server under test, for runs without --target.
 *
 * The launcher contract (conformance/README.md) is deliberately small so that any implementation, in any
 * language, can be started by it: a shell command, with placeholders the suite fills in, that prints
 * `listening on HOST:PORT` on stdout once it accepts connections (the reference server prints
 * `parrot server listening on HOST:PORT (tcp)`). If the command takes `{port}`, the suite also accepts a
 * successful TCP connect to that port as the sign it is ready.
 *
 * Without --launch the suite starts the reference server itself (cli/parrot.ts) with short timers and
 * the fixture accounts provisioned through `parrot useradd --batch`: the same contract, spelled out.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../tools/launch/free-port.ts";
import { makeSelfSignedCert } from "../../transport/loopback-certificate.ts";
import { accountLines, loadAccounts } from "./accounts.ts";
import { COMMAND_DIR, REFERENCE_CLI_NODE_ARGS, SUITE_ROOT } from "./reference-cli.ts";

/** Timers the suite asks a launched server for: short, so the timer scenarios take seconds. */
export const LAUNCH_TIMERS = {
  pingIntervalS: 1,
  pingTimeoutS: 1.5,
  handshakeTimeoutS: 3,
  typingTimeoutS: 2,
} as const;

/**
 * `{max_connections}` (REQ-9.5): high enough never to be met by a run of the suite (its largest
 * scenario holds some 210 connections); the SERVER_FULL scenario starts an instance of its own with
 * `SMALL_CONNECTION_LIMIT` instead.
 */
export const LAUNCH_MAX_CONNECTIONS = 10_000;
export const SMALL_CONNECTION_LIMIT = 2;

export interface LaunchedServer {
  host: string;
  port: number;
  /** The handshake timeout the server was started with, when the suite knows it. */
  handshakeTimeoutMs: number | null;
  /** The typing timeout the server was started with, when the suite set it. */
  typingTimeoutMs: number | null;
  /** The connection limit the server was started with, when the suite set it ({max_connections}). */
  maxConnections: number | null;
  /** PEM of the certificate the suite made for a launched reference server over QUIC. */
  ca?: string;
  /** What was started, for the report. */
  description: string;
  stop(): Promise<void>;
}

export interface LaunchOptions {
  accountsFile: string;
  timeoutMs: number;
  /** Where the server's stderr goes, for debugging a run. */
  logFile: string;
  /**
   * The transport the suite will dial. "quic": the reference server also serves QUIC (a throwaway
   * certificate, --quic-port 0); "ws": WebSocket (--ws-port 0, --ws-path `wsPath`). The listening
   * line waited for is then the one that ends "(quic)" or "(ws)".
   */
  transport?: string;
  /** The WebSocket path the suite dials (transport "ws"); default "/". */
  wsPath?: string;
  /**
   * `{node}`: which node of the run this instance is, from 1 (`--nodes N` launches 1..N; an instance a
   * scenario starts itself gets a number after those), so nodes of one service can be told apart.
   */
  node?: number;
}

const LISTENING = /listening on (\[[^\]]+\]|[^\s:]+):(\d+)/;

/** The listening line of a transport served on a port of its own beside TCP ("quic", "ws"). */
function listeningLine(transport: string | undefined): RegExp {
  if (transport !== "quic" && transport !== "ws") return LISTENING;
  return new RegExp(`${LISTENING.source} \\(${transport}\\)`);
}

/** `parrot server` flags for the reference on loopback with `users` and the suite's timers. */
export function referenceServerArgs(users: string, logLevel: string): string[] {
  return [
    ...["-l", "127.0.0.1", "-p", "0", "--users", users],
    ...["--ping-interval", String(LAUNCH_TIMERS.pingIntervalS)],
    ...["--ping-timeout", String(LAUNCH_TIMERS.pingTimeoutS)],
    ...["--handshake-timeout", String(LAUNCH_TIMERS.handshakeTimeoutS)],
    ...["--log-level", logLevel],
  ];
}

/** The reference server from this repository, with the fixture accounts and short timers. */
export async function launchReference(
  options: LaunchOptions,
  maxConnections?: number,
): Promise<LaunchedServer> {
  const dir = mkdtempSync(join(tmpdir(), "parrot-conformance-"));
  const users = join(dir, "users.txt");
  await provisionReferenceUsers(users, options.accountsFile);
  const args = [
    ...REFERENCE_CLI_NODE_ARGS,
    "server",
    ...referenceServerArgs(users, "info"),
    ...(maxConnections === undefined ? [] : ["--max-connections", String(maxConnections)]),
  ];
  const certificate = options.transport === "quic" ? quicCertificate(args) : undefined;
  const ca = certificate?.pem;
  if (options.transport === "ws") args.push("--ws-port", "0", "--ws-path", options.wsPath ?? "/");
  const child = spawn(process.execPath, args, {
    cwd: SUITE_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const server = await waitUntilListening(child, null, options, "the reference server", false);
  return {
    ...server,
    handshakeTimeoutMs: LAUNCH_TIMERS.handshakeTimeoutS * 1000,
    typingTimeoutMs: null,
    maxConnections: maxConnections ?? null,
    ...(ca === undefined ? {} : { ca }),
    description: `reference server (cli/parrot.ts), launched by the suite${launchedBeside(options.transport)}`,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
      certificate?.remove();
    },
  };
}

function launchedBeside(transport: string | undefined): string {
  if (transport === "quic") return " with --quic-port";
  if (transport === "ws") return " with --ws-port";
  return "";
}

/**
 * A self-signed certificate for 127.0.0.1 (transport/loopback-certificate.ts), and the server
 * flags that serve QUIC with it beside TLS; returns the certificate's PEM for the suite to trust.
 */
function quicCertificate(args: string[]): { pem: string; remove(): void } {
  const certificate = makeSelfSignedCert();
  args.push(
    "--tls-cert",
    certificate.certFile,
    "--tls-key",
    certificate.keyFile,
    "--quic-port",
    "0",
  );
  return { pem: certificate.cert.toString("utf8"), remove: certificate.remove };
}

/** Any implementation, started by a shell command (see the launcher contract above). */
export async function launchCommand(
  command: string,
  options: LaunchOptions,
  maxConnections = LAUNCH_MAX_CONNECTIONS,
): Promise<LaunchedServer> {
  const dir = mkdtempSync(join(tmpdir(), "parrot-conformance-"));
  const accounts = join(dir, "accounts.txt");
  writeFileSync(accounts, accountLines(loadAccounts(options.accountsFile)), { mode: 0o600 });
  const port = command.includes("{port}") ? await freePort() : null;
  const expanded = command
    .replaceAll("{host}", "127.0.0.1")
    .replaceAll("{port}", String(port ?? 0))
    .replaceAll("{accounts}", accounts)
    .replaceAll("{ping_interval}", String(LAUNCH_TIMERS.pingIntervalS))
    .replaceAll("{ping_timeout}", String(LAUNCH_TIMERS.pingTimeoutS))
    .replaceAll("{handshake_timeout}", String(LAUNCH_TIMERS.handshakeTimeoutS))
    .replaceAll("{typing_timeout}", String(LAUNCH_TIMERS.typingTimeoutS))
    .replaceAll("{max_connections}", String(maxConnections))
    .replaceAll("{node}", String(options.node ?? 1));
  // Its own process group, so stopping it also stops whatever the shell started.
  const child = spawn(expanded, {
    shell: true,
    detached: true,
    cwd: COMMAND_DIR,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const server = await waitUntilListening(child, port, options, `"${expanded}"`, true);
  return {
    ...server,
    handshakeTimeoutMs: command.includes("{handshake_timeout}")
      ? LAUNCH_TIMERS.handshakeTimeoutS * 1000
      : null,
    typingTimeoutMs: command.includes("{typing_timeout}")
      ? LAUNCH_TIMERS.typingTimeoutS * 1000
      : null,
    maxConnections: command.includes("{max_connections}") ? maxConnections : null,
    description: `launched with: ${expanded}`,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Writes a users file for the reference server with every fixture account (fast scrypt: tests only). */
export async function provisionReferenceUsers(
  usersFile: string,
  accountsFile: string,
): Promise<void> {
  const child = spawn(
    process.execPath,
    [...REFERENCE_CLI_NODE_ARGS, "useradd", "--users", usersFile, "--batch", "--scrypt-n", "1024"],
    { cwd: SUITE_ROOT, stdio: ["pipe", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdin.end(accountLines(loadAccounts(accountsFile)));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  if (code !== 0) throw new Error(`parrot useradd --batch failed (exit ${code}): ${stderr.trim()}`);
}

function waitUntilListening(
  child: ChildProcess,
  port: number | null,
  options: LaunchOptions,
  what: string,
  group: boolean,
): Promise<
  Omit<LaunchedServer, "handshakeTimeoutMs" | "typingTimeoutMs" | "maxConnections" | "description">
> {
  const log = createWriteStream(options.logFile);
  child.stderr?.pipe(log);
  let stdout = "";
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      signal(child, "SIGTERM", group);
      const timer = setTimeout(() => signal(child, "SIGKILL", group), 5000);
      await exited;
      clearTimeout(timer);
    }
    log.end();
  };
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (outcome: { host: string; port: number } | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (outcome instanceof Error) void stop().then(() => reject(outcome));
      else resolve({ ...outcome, stop });
    };
    const timer = setTimeout(
      () => settle(new Error(`${what} did not start listening within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = listeningLine(options.transport).exec(stdout);
      if (match) settle({ host: match[1]!.replace(/^\[|\]$/g, ""), port: Number(match[2]) });
    });
    void exited.then((code) =>
      settle(
        new Error(`${what} exited (code ${code}) before listening; its log: ${options.logFile}`),
      ),
    );
    // A TCP connect says nothing about a UDP (QUIC) port, nor about a WebSocket listener.
    if (port !== null && listeningLine(options.transport) === LISTENING) {
      void pollConnect(port, () => settled).then((ok) => ok && settle({ host: "127.0.0.1", port }));
    }
  });
}

/** True once a TCP connect to the port succeeds; false if `done()` says to stop trying first. */
async function pollConnect(port: number, done: () => boolean): Promise<boolean> {
  while (!done()) {
    const connected = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: "127.0.0.1", port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (connected) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/** Signals the launched process's whole group when it has one (shell commands), else the process. */
function signal(child: ChildProcess, name: NodeJS.Signals, group: boolean): void {
  if (child.pid === undefined) return;
  try {
    if (group) process.kill(-child.pid, name);
    else child.kill(name);
  } catch {
    // Already gone.
  }
}
