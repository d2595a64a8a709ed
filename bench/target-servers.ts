/**
 * Starts the servers the bench compares, each in its own process: the Parrot reference server through its
 * CLI, the raw node:net echo server (the ceiling for Node.js) and mosquitto (the off-the-shelf alternative).
 * One process per target serves every run of a part, as a long-running server would.
 */
import { findMosquitto, MOSQUITTO_MISSING, startMosquitto } from "./mosquitto-broker.ts";
import { launchParrotServer } from "./parrot-server-process.ts";
import { RAW_ECHO_LISTENING_LINE } from "./raw-echo-server.ts";
import { launchServer, type ServerProcess } from "./server-process.ts";

export type TargetServerName = "parrot" | "raw" | "mosquitto";

export interface TargetServerOptions {
  repoRoot: string;
  usersFile: string;
  /** The most sessions any run will open at once. */
  maxSessions: number;
  /** CPU-profile the Parrot server into this directory (`--cpu-prof`); see bench/profile-summary.ts. */
  profileDir?: string;
}

export function startTargetServer(
  target: TargetServerName,
  options: TargetServerOptions,
): Promise<ServerProcess> {
  // Descriptors for the largest run plus the server's own.
  const openFiles = options.maxSessions + 512;
  switch (target) {
    case "parrot":
      return launchParrotServer({
        repoRoot: options.repoRoot,
        usersFile: options.usersFile,
        // Long timers: bench sessions send constantly, and logging in thousands of sessions must not race
        // a ping timeout while the first ones wait for the last.
        pingIntervalS: 30,
        pingTimeoutS: 60,
        maxConnections: options.maxSessions + 100,
        openFiles,
        profileDir: options.profileDir,
      });
    case "raw":
      return launchServer({
        name: "raw-echo",
        command: process.execPath,
        args: ["--import", "tsx", "bench/raw-echo-server.ts", "-l", "127.0.0.1", "-p", "0"],
        cwd: options.repoRoot,
        listening: RAW_ECHO_LISTENING_LINE,
        openFiles,
      });
    case "mosquitto": {
      const binary = findMosquitto();
      if (binary === null) throw new Error(MOSQUITTO_MISSING);
      return startMosquitto(binary, openFiles);
    }
  }
}

/**
 * Starts one server per target the series need (series of the same target share it). Returns the servers
 * and the series that can run; a mosquitto series without mosquitto installed is skipped, a series whose
 * server does not start is failed.
 */
export async function startSeriesServers<S extends { target: TargetServerName }>(
  series: readonly S[],
  options: TargetServerOptions,
  skipped: (series: S, why: string) => void,
  failed: (series: S, error: unknown) => void,
): Promise<{ servers: Map<TargetServerName, ServerProcess>; live: Set<S> }> {
  const servers = new Map<TargetServerName, ServerProcess>();
  const live = new Set<S>();
  for (const s of series) {
    if (s.target === "mosquitto" && findMosquitto() === null) {
      skipped(s, MOSQUITTO_MISSING);
      continue;
    }
    if (!servers.has(s.target)) {
      try {
        servers.set(s.target, await startTargetServer(s.target, options));
      } catch (error) {
        failed(s, error);
        continue;
      }
    }
    live.add(s);
  }
  return { servers, live };
}
