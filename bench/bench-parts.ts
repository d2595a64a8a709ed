/**
 * The parts of `make bench`, in the order they run: what each is called (`--only`), where latest.json
 * keeps its result, how many bench accounts it logs in with, how it runs, how it reads in the report,
 * and what a failed or skipped run leaves behind. A new part is one entry here (and its sizes in
 * bench/bench-plan.ts, its field in bench/bench-results.ts).
 */

import { clusterEchoSessions, historyMembers, type Plan } from "./bench-plan.ts";
import type { BenchResults, PartName } from "./bench-results.ts";
import type { BenchUsers } from "./bench-users.ts";
import { BENCH_SCRYPT_N, PRODUCTION_SCRYPT_N, provisionBenchUsers } from "./bench-users.ts";
import { formatClusterTable, runClusterBench } from "./cluster-bench.ts";
import { clusterScaleSkipReason, runClusterScale } from "./cluster-scale.ts";
import { formatClusterScale } from "./cluster-scale-report.ts";
import { formatCodecTable, runCodecBench } from "./codec-bench.ts";
import { runEchoBench } from "./echo-bench.ts";
import { runFanoutBench } from "./fanout-bench.ts";
import { formatHistoryTable, runHistoryBench } from "./history-bench.ts";
import { runLoginBurst } from "./login-burst.ts";
import { formatEchoTable, formatScale } from "./report-table.ts";
import { runSessionScale, scaleSkipReason } from "./session-scale.ts";
import { formatFanoutTable, formatLoginBurst } from "./traffic-report.ts";
import { runTransportEcho } from "./transport-echo.ts";
import { formatTransportEcho } from "./transport-echo-report.ts";

/** The fields of latest.json that hold a part's result. */
type ResultKey =
  | "codec"
  | "echo"
  | "fanout"
  | "cluster"
  | "clusterScale"
  | "history"
  | "login"
  | "scale"
  | "transports";
type ResultOf<K extends ResultKey> = NonNullable<BenchResults[K]>;

export interface PartContext {
  repoRoot: string;
  plan: Plan;
  /** The bench accounts (scrypt N = 1024), as many as the largest `users` of the parts that run. */
  users: BenchUsers;
  /** A temporary directory for the run, removed at the end. */
  dir: string;
  progress: (line: string) => void;
}

export interface BenchPart<K extends ResultKey = ResultKey> {
  name: PartName;
  key: K;
  /** Bench accounts the part logs in with (0: none). */
  users(plan: Plan): number;
  /**
   * Why the part cannot run here and what latest.json keeps then, checked before anything is
   * provisioned; null when it can run.
   */
  skipped?(plan: Plan): { why: string; result: ResultOf<K> } | null;
  run(context: PartContext): Promise<ResultOf<K>>;
  /** Series that failed inside a run that finished. */
  failures?(result: ResultOf<K>): number;
  /** What latest.json keeps when `run` threw; without it the field stays null. */
  failed?(why: string, plan: Plan): ResultOf<K>;
  report(result: ResultOf<K>, results: BenchResults): string;
}

/** Keeps each entry's types checked against its own key while the table holds them all. */
function part<K extends ResultKey>(entry: BenchPart<K>): BenchPart {
  return entry as unknown as BenchPart;
}

const failedSeries = (result: { failed: Partial<Record<string, string>> }) =>
  Object.keys(result.failed).length;

/** The options every traffic part shares. */
function traffic(c: PartContext) {
  return {
    repoRoot: c.repoRoot,
    warmupMs: c.plan.counts["warmup-ms"],
    durationMs: c.plan.counts["duration-ms"],
    rounds: c.plan.counts.rounds,
    usersFile: c.users.usersFile,
    credentialsFile: c.users.credentialsFile,
  };
}

function fanoutSizes(plan: Plan) {
  return {
    roomSizes: plan.lists["room-sizes"],
    senders: plan.counts.senders,
    dmUsers: plan.counts["dm-users"],
  };
}

const fanoutUsers = (plan: Plan) => Math.max(plan.counts["dm-users"], ...plan.lists["room-sizes"]);

export const BENCH_PARTS: readonly BenchPart[] = [
  part({
    name: "codec",
    key: "codec",
    users: () => 0,
    run: async (c) => runCodecBench({ timePerTaskMs: c.plan.counts["codec-ms"] }),
    failed: (why) => ({ failed: why }),
    report: (r) => ("failed" in r ? `Codec: FAILED ${r.failed}` : formatCodecTable(r)),
  }),
  part({
    name: "echo",
    key: "echo",
    users: (plan) => Math.max(...plan.lists.concurrency),
    run: (c) =>
      runEchoBench(
        { ...traffic(c), concurrency: c.plan.lists.concurrency, profileDir: c.plan.profileDir },
        c.progress,
      ),
    failures: failedSeries,
    report: (r, all) => formatEchoTable(r, all.machine.cores),
  }),
  part({
    name: "fanout",
    key: "fanout",
    users: fanoutUsers,
    run: (c) =>
      runFanoutBench(
        { ...traffic(c), ...fanoutSizes(c.plan), profileDir: c.plan.profileDir },
        c.progress,
      ),
    failures: failedSeries,
    report: (r, all) => formatFanoutTable(r, all.machine.cores),
  }),
  part({
    name: "cluster",
    key: "cluster",
    users: (plan) => Math.max(fanoutUsers(plan), clusterEchoSessions(plan)),
    run: (c) =>
      runClusterBench(
        { ...traffic(c), ...fanoutSizes(c.plan), echoSessions: clusterEchoSessions(c.plan) },
        c.progress,
      ),
    failures: failedSeries,
    report: formatClusterTable,
  }),
  part({
    name: "cluster-scale",
    key: "clusterScale",
    users: (plan) => plan.counts["cluster-sessions"],
    skipped: (plan) => {
      const sessions = plan.counts["cluster-sessions"];
      const why = clusterScaleSkipReason(sessions);
      return why === null ? null : { why, result: { sessions, skipped: why } };
    },
    run: async (c) => {
      const sessions = c.plan.counts["cluster-sessions"];
      c.progress(`cluster scale: N=${sessions} ...`);
      return runClusterScale({
        repoRoot: c.repoRoot,
        sessions,
        usersFile: c.users.usersFile,
        credentialsFile: c.users.credentialsFile,
        windowMs: c.plan.quick ? 2000 : 6000,
      });
    },
    failed: (why, plan) => ({ sessions: plan.counts["cluster-sessions"], failed: why }),
    report: formatClusterScale,
  }),
  part({
    name: "history",
    key: "history",
    users: historyMembers,
    run: (c) =>
      runHistoryBench(
        {
          ...traffic(c),
          members: historyMembers(c.plan),
          senders: c.plan.counts.senders,
          dir: c.dir,
        },
        c.progress,
      ),
    failures: failedSeries,
    report: formatHistoryTable,
  }),
  part({
    name: "login",
    key: "login",
    users: (plan) => plan.counts["login-clients"],
    run: async (c) => {
      const clients = c.plan.counts["login-clients"];
      c.progress(
        `login burst: provisioning ${clients} users at the production cost (scrypt N=${PRODUCTION_SCRYPT_N}) ...`,
      );
      const production = await provisionBenchUsers(clients, c.dir, c.repoRoot, PRODUCTION_SCRYPT_N);
      c.progress(`provisioned in ${(production.provisionMs / 1000).toFixed(1)} s`);
      return runLoginBurst(
        {
          repoRoot: c.repoRoot,
          clients,
          usersFiles: [
            { scryptN: PRODUCTION_SCRYPT_N, file: production.usersFile },
            { scryptN: BENCH_SCRYPT_N, file: c.users.usersFile },
          ],
          credentialsFile: c.users.credentialsFile,
        },
        c.progress,
      );
    },
    failed: (why) => ({ failed: why }),
    report: formatLoginBurst,
  }),
  part({
    name: "scale",
    key: "scale",
    users: (plan) => plan.counts.sessions,
    skipped: (plan) => {
      const why = scaleSkipReason(plan.counts.sessions);
      return why === null
        ? null
        : { why, result: { sessions: plan.counts.sessions, skipped: why } };
    },
    run: async (c) => {
      c.progress(`session scale: N=${c.plan.counts.sessions} ...`);
      return runSessionScale({
        repoRoot: c.repoRoot,
        sessions: c.plan.counts.sessions,
        usersFile: c.users.usersFile,
        credentialsFile: c.users.credentialsFile,
        profileDir: c.plan.profileDir,
        windowMs: c.plan.quick ? 2000 : 6000,
        heapSnapshotDir: c.plan.heapSnapshotDir,
      });
    },
    failed: (why, plan) => ({ sessions: plan.counts.sessions, failed: why }),
    report: formatScale,
  }),
  part({
    name: "transports",
    key: "transports",
    users: (plan) => Math.max(...plan.lists["transport-concurrency"]),
    run: (c) =>
      runTransportEcho(
        { ...traffic(c), concurrency: c.plan.lists["transport-concurrency"] },
        c.progress,
      ),
    failures: (r) => ("points" in r ? failedSeries(r) : 1),
    failed: (why) => ({ failed: why }),
    report: formatTransportEcho,
  }),
];
