/**
 * Echo round trips over each transport binding against TCP, in the same invocation: the Parrot
 * server over plain TCP, over WebSocket (spec §2.3) and over QUIC (spec §14), each in its own
 * process (so its CPU per round trip is its own), driven by the TypeScript load generator through
 * transport/all-dialers.ts for every row, TCP included: the generator does the same work per
 * round trip on each, and the ratios say what the binding costs. The rows are measured in
 * interleaved rounds, as the echo part does, so a drift in the machine's load hits all alike.
 */
import { fileURLToPath } from "node:url";
import { makeSelfSignedCert } from "../transport/loopback-certificate.ts";
import { runInterleaved } from "./interleaved-rounds.ts";
import { runJsonProgram } from "./json-program.ts";
import type { LoadResult } from "./load-generator.ts";
import { median } from "./median.ts";
import { launchParrotServer } from "./parrot-server-process.ts";
import type { ServerProcess } from "./server-process.ts";

export const BENCH_TRANSPORTS = ["tcp", "ws", "quic"] as const;
export type BenchTransport = (typeof BENCH_TRANSPORTS)[number];

export interface TransportEchoOptions {
  repoRoot: string;
  concurrency: number[];
  warmupMs: number;
  durationMs: number;
  rounds: number;
  usersFile: string;
  credentialsFile: string;
}

export interface TransportEchoPoint {
  transport: BenchTransport;
  sessions: number;
  roundTripsPerSec: number;
  p99Ms: number;
  serverCpuUsPerRoundTrip: number | null;
  rounds: LoadResult[];
}

export interface TransportEchoResult {
  concurrency: number[];
  durationMs: number;
  rounds: number;
  points: TransportEchoPoint[];
  /** Transports that failed, with the error. */
  failed: Partial<Record<BenchTransport, string>>;
}

/** The server flags and the listening line of each row's server. */
function serverArgs(transport: BenchTransport, cert: { cert: string; key: string }) {
  const line = (kind: string) =>
    new RegExp(`parrot server listening on (?<host>[^\\s:]+):(?<port>\\d+) \\(${kind}\\)`);
  if (transport === "ws") return { extraArgs: ["--ws-port", "0"], listening: line("ws") };
  if (transport === "quic") {
    const tls = ["--tls-cert", cert.cert, "--tls-key", cert.key];
    return { extraArgs: [...tls, "--quic-port", "0"], listening: line("quic") };
  }
  return { extraArgs: [], listening: line("tcp") };
}

function runGenerator(
  transport: BenchTransport,
  server: ServerProcess,
  sessions: number,
  options: TransportEchoOptions,
  caFile: string,
): Promise<LoadResult> {
  const script = fileURLToPath(new URL("./load-generator.ts", import.meta.url));
  return runJsonProgram<LoadResult>(
    `load generator (parrot over ${transport}, C=${sessions})`,
    process.execPath,
    [
      ...["--import", "tsx", script, "--target", "parrot", "--transport", transport],
      ...(transport === "quic" ? ["--ca", caFile] : []),
      ...["--host", server.host, "--port", String(server.port), "--sessions", String(sessions)],
      ...["--warmup-ms", String(options.warmupMs), "--duration-ms", String(options.durationMs)],
      ...["--server-pid", String(server.pid), "--credentials", options.credentialsFile, "--json"],
    ],
    options.repoRoot,
  );
}

export async function runTransportEcho(
  options: TransportEchoOptions,
  progress: (line: string) => void,
): Promise<TransportEchoResult> {
  const result: TransportEchoResult = {
    concurrency: options.concurrency,
    durationMs: options.durationMs,
    rounds: options.rounds,
    points: [],
    failed: {},
  };
  const made = makeSelfSignedCert();
  const certificate = { cert: made.certFile, key: made.keyFile };
  const servers = new Map<BenchTransport, ServerProcess>();
  try {
    for (const transport of BENCH_TRANSPORTS) {
      try {
        servers.set(
          transport,
          await launchParrotServer({
            repoRoot: options.repoRoot,
            usersFile: options.usersFile,
            pingIntervalS: 15,
            pingTimeoutS: 30,
            maxConnections: Math.max(...options.concurrency) + 16,
            openFiles: 4 * Math.max(...options.concurrency) + 256,
            ...serverArgs(transport, certificate),
          }),
        );
      } catch (error) {
        result.failed[transport] = error instanceof Error ? error.message : String(error);
      }
    }
    const live = new Set(servers.keys());
    const roundMs = Math.round(options.durationMs / options.rounds);
    for (const sessions of options.concurrency) {
      const done = await runInterleaved(
        live,
        options.rounds,
        (transport, round) =>
          `transports C=${sessions} round ${round + 1}/${options.rounds}: ${transport} ...`,
        progress,
        (transport) =>
          runGenerator(
            transport,
            servers.get(transport)!,
            sessions,
            { ...options, durationMs: roundMs },
            certificate.cert,
          ),
        (transport, error) => {
          result.failed[transport] = error instanceof Error ? error.message : String(error);
          progress(`transports ${transport} failed: ${result.failed[transport]}`);
        },
      );
      for (const [transport, rounds] of done) {
        result.points.push({
          transport,
          sessions,
          roundTripsPerSec: median(rounds.map((r) => r.roundTripsPerSec)),
          p99Ms: median(rounds.map((r) => r.latency.p99Ms)),
          serverCpuUsPerRoundTrip: rounds.some((r) => r.serverCpuUsPerRoundTrip === null)
            ? null
            : median(rounds.map((r) => r.serverCpuUsPerRoundTrip as number)),
          rounds,
        });
      }
    }
  } finally {
    await Promise.all([...servers.values()].map((server) => server.stop()));
    made.remove();
  }
  return result;
}
