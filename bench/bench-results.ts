/**
 * The shape of bench/results/latest.json: everything one `make bench` run measured, the machine it ran on,
 * and the verdict on each target. The stdout table, the SVG chart and bench/README.md are all views of it.
 */

import type { ClusterBenchResult } from "./cluster-bench.ts";
import type { ClusterScaleOutcome } from "./cluster-scale.ts";
import type { CodecResult } from "./codec-bench.ts";
import type { EchoResult } from "./echo-bench.ts";
import type { FanoutBenchResult } from "./fanout-bench.ts";
import type { HistoryBenchResult } from "./history-bench.ts";
import type { LoginBurstResult } from "./login-burst.ts";
import type { MachineLoad } from "./machine-load.ts";
import type { ScaleResult, ScaleSkipped } from "./session-scale.ts";
import type { TransportEchoResult } from "./transport-echo.ts";

/** The parts of a run, as `--only` names them (bench/bench-parts.ts runs them in this order). */
export type PartName =
  | "codec"
  | "echo"
  | "fanout"
  | "cluster"
  | "cluster-scale"
  | "history"
  | "login"
  | "scale"
  | "transports";

export interface MachineInfo {
  cpuModel: string;
  /** os.availableParallelism(): the cores that generator and server share. */
  cores: number;
  totalMemoryBytes: number;
  node: string;
  platform: string;
  kernel: string;
  openFilesHardLimit: number;
  mosquitto: string | null;
}

export type VerdictStatus = "PASS" | "MISS" | "SKIP";

export interface Verdict {
  target: string;
  status: VerdictStatus;
  /** What was measured, in words and figures. */
  measured: string;
  /** measured / required, oriented so that ≥ 1 passes (null when skipped). */
  margin: number | null;
  /** The runs it was judged on were taken while other processes used > 10 % of the cores. */
  flagged: boolean;
}

export interface BenchResults {
  startedAt: string;
  durationS: number;
  quick: boolean;
  machine: MachineInfo;
  codec: CodecResult | { failed: string } | null;
  echo: EchoResult | null;
  fanout: FanoutBenchResult | null;
  /** Members split over two cluster nodes vs one node (bench/cluster-bench.ts). */
  cluster?: ClusterBenchResult | null;
  /** N sessions over several cluster nodes, past one process's open-files limit (bench/cluster-scale.ts). */
  clusterScale?: ClusterScaleOutcome | null;
  history: HistoryBenchResult | null;
  login: LoginBurstResult | { failed: string } | null;
  scale: ScaleResult | ScaleSkipped | { sessions: number; failed: string } | null;
  /** Echo over TCP, WebSocket and QUIC (bench/transport-echo.ts). */
  transports: TransportEchoResult | { failed: string } | null;
  /** Others' load on the machine over each part that ran (bench/machine-load.ts). */
  machineLoad: Partial<Record<PartName, MachineLoad>>;
  /** Parts that threw, with why (their own field stays null). */
  failedParts?: Partial<Record<PartName, string>>;
  verdicts: Verdict[];
}
