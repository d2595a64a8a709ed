/**
 * Starts the reference Parrot server through its real CLI, exactly as an operator would (the command
 * is tools/launch/parrot-process.ts's, as for the tests), in its own process with
 * bench/memory-probe.ts preloaded so its heap can be read. Logging is turned down to warnings: one JSON line per connect/login at info level is work a production deployment chooses
 * whether to pay for, and would otherwise be a large share of what is measured.
 */
import { parrotCommand } from "../tools/launch/parrot-process.ts";
import { launchServer, type ServerProcess } from "./server-process.ts";

export interface ParrotServerOptions {
  repoRoot: string;
  usersFile: string;
  pingIntervalS: number;
  pingTimeoutS: number;
  maxConnections: number;
  /** RLIMIT_NOFILE to ask for: at least one per session plus the server's own files. */
  openFiles: number;
  logLevel?: string;
  /** Write a V8 CPU profile of the server to this directory when it exits (`node --cpu-prof`). */
  profileDir?: string;
  /** More `parrot server` flags (a cluster node's `--cluster URL --node-id NAME`, `--ws-port 0`,
   * bench/history-bench.ts: --history, --versions), and the listening line to wait for then. */
  extraArgs?: readonly string[];
  listening?: RegExp;
}

export const PARROT_LISTENING =
  /parrot server listening on (?<host>[^\s:]+):(?<port>\d+) \((tcp|tls)\)/;

export function launchParrotServer(options: ParrotServerOptions): Promise<ServerProcess> {
  const [command, ...args] = parrotCommand(
    [
      "server",
      ...["-l", "127.0.0.1", "-p", "0", "--users", options.usersFile],
      ...["--ping-interval", String(options.pingIntervalS)],
      ...["--ping-timeout", String(options.pingTimeoutS)],
      ...["--max-connections", String(options.maxConnections)],
      ...["--log-level", options.logLevel ?? "warn"],
      ...(options.extraArgs ?? []),
    ],
    {
      nodeArgs: [
        ...(options.profileDir ? ["--cpu-prof", "--cpu-prof-dir", options.profileDir] : []),
        "--expose-gc",
        "--import",
        "./bench/memory-probe.ts",
      ],
    },
  );
  return launchServer({
    name: "parrot",
    command,
    args,
    cwd: options.repoRoot,
    listening: options.listening ?? PARROT_LISTENING,
    openFiles: options.openFiles,
    ipc: true,
  });
}
