/**
 * Echo round trips at several concurrency levels against three targets, each in its own process, with the
 * load generator (bench/load-generator.ts) in yet another: the Parrot reference server, the raw node:net echo
 * server (the ceiling for Node.js) and mosquitto at QoS 0 (the off-the-shelf alternative). One server
 * process per target serves all concurrency levels, as a long-running server would.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { EchoTargetName } from "./echo-session.ts";
import type { LoadResult } from "./load-generator.ts";
import { findMosquitto, MOSQUITTO_MISSING, startMosquitto } from "./mosquitto-broker.ts";
import { launchParrotServer } from "./parrot-server-process.ts";
import { RAW_ECHO_LISTENING_LINE } from "./raw-echo-server.ts";
import { launchServer, type ServerProcess } from "./server-process.ts";

export interface EchoOptions {
  repoRoot: string;
  concurrency: number[];
  warmupMs: number;
  durationMs: number;
  usersFile: string;
  credentialsFile: string;
  /** CPU-profile the Parrot server into this directory (`--cpu-prof`); see bench/profile-summary.ts. */
  profileDir?: string;
}

export interface EchoPoint extends LoadResult {
  target: EchoTargetName;
}

export interface EchoResult {
  concurrency: number[];
  warmupMs: number;
  durationMs: number;
  points: EchoPoint[];
  /** Targets that could not run, with the reason. */
  skipped: Partial<Record<EchoTargetName, string>>;
  /** Targets that failed mid-run, with the error. */
  failed: Partial<Record<EchoTargetName, string>>;
}

/** Descriptors for the largest C plus the server's own. */
function openFilesFor(options: EchoOptions): number {
  return Math.max(...options.concurrency) + 512;
}

function startTarget(target: EchoTargetName, options: EchoOptions): Promise<ServerProcess> {
  switch (target) {
    case "parrot":
      return launchParrotServer({
        repoRoot: options.repoRoot,
        usersFile: options.usersFile,
        // Long timers: echo sessions send constantly, and logging in C = 1000 sessions must not race a
        // ping timeout while the first ones wait for the last.
        pingIntervalS: 30,
        pingTimeoutS: 60,
        maxConnections: Math.max(...options.concurrency) + 100,
        openFiles: openFilesFor(options),
        profileDir: options.profileDir,
      });
    case "raw":
      return launchServer({
        name: "raw-echo",
        command: process.execPath,
        args: ["--import", "tsx", "bench/raw-echo-server.ts", "-l", "127.0.0.1", "-p", "0"],
        cwd: options.repoRoot,
        listening: RAW_ECHO_LISTENING_LINE,
        openFiles: openFilesFor(options),
      });
    case "mosquitto": {
      const binary = findMosquitto();
      if (binary === null) throw new Error(MOSQUITTO_MISSING);
      return startMosquitto(binary, openFilesFor(options));
    }
  }
}

function runGenerator(
  target: EchoTargetName,
  server: ServerProcess,
  sessions: number,
  options: EchoOptions,
): Promise<LoadResult> {
  const script = fileURLToPath(new URL("./load-generator.ts", import.meta.url));
  const args = [
    "--import",
    "tsx",
    script,
    "--target",
    target,
    "--host",
    server.host,
    "--port",
    String(server.port),
    "--sessions",
    String(sessions),
    "--warmup-ms",
    String(options.warmupMs),
    "--duration-ms",
    String(options.durationMs),
    "--server-pid",
    String(server.pid),
    "--credentials",
    options.credentialsFile,
    "--json",
  ];
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { cwd: options.repoRoot, maxBuffer: 1 << 20 },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new Error(
              `load generator (${target}, C=${sessions}): ${stderr.trim() || error.message}`,
            ),
          );
          return;
        }
        const line = stdout.trim().split("\n").pop() ?? "";
        try {
          resolve(JSON.parse(line) as LoadResult);
        } catch {
          reject(
            new Error(`load generator (${target}, C=${sessions}) printed no result: ${stdout}`),
          );
        }
      },
    );
  });
}

export async function runEchoBench(
  targets: readonly EchoTargetName[],
  options: EchoOptions,
  progress: (line: string) => void,
): Promise<EchoResult> {
  const result: EchoResult = {
    concurrency: options.concurrency,
    warmupMs: options.warmupMs,
    durationMs: options.durationMs,
    points: [],
    skipped: {},
    failed: {},
  };
  for (const target of targets) {
    if (target === "mosquitto" && findMosquitto() === null) {
      result.skipped.mosquitto = MOSQUITTO_MISSING;
      progress(`echo ${target}: ${MOSQUITTO_MISSING}`);
      continue;
    }
    let server: ServerProcess | null = null;
    try {
      server = await startTarget(target, options);
      for (const sessions of options.concurrency) {
        progress(`echo ${target} C=${sessions} ...`);
        const point = await runGenerator(target, server, sessions, options);
        result.points.push({ target, ...point });
      }
    } catch (error) {
      result.failed[target] = error instanceof Error ? error.message : String(error);
      progress(`echo ${target} failed: ${result.failed[target]}`);
    } finally {
      await server?.stop();
    }
  }
  return result;
}
