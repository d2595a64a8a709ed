/**
 * `--nodes N`: the launcher contract, N times. Each instance gets its own `{port}`, `{node}` (1..N)
 * and log file (`REPORTS/server.log` for one node, `server-node1.log`, `server-node2.log`, ... for
 * several); they start at once, and if one cannot start the others are stopped again, so a run never
 * leaves a node behind.
 *
 * N instances of one command are the nodes of one service only if the command makes them so (the
 * reference server's `--cluster redis://...`, which `make conformance-cluster` passes): N plain
 * reference servers are N separate services, and the suite will say so, not hide it.
 */
import { join } from "node:path";
import {
  type LaunchedServer,
  type LaunchOptions,
  launchCommand,
  launchReference,
} from "./launcher.ts";

export interface LaunchedNodes {
  servers: LaunchedServer[];
  /** Stops every node; resolves once all have exited. Idempotent. */
  stop(): Promise<void>;
}

export async function launchNodes(
  count: number,
  command: string | null,
  options: Omit<LaunchOptions, "logFile" | "node">,
  reportsDir: string,
): Promise<LaunchedNodes> {
  const attempts = Array.from({ length: count }, (_, index) => {
    const node = index + 1;
    const launch: LaunchOptions = {
      ...options,
      node,
      logFile: join(reportsDir, count === 1 ? "server.log" : `server-node${node}.log`),
    };
    return command === null ? launchReference(launch) : launchCommand(command, launch);
  });
  const outcomes = await Promise.allSettled(attempts);
  const servers = outcomes.flatMap((outcome) =>
    outcome.status === "fulfilled" ? [outcome.value] : [],
  );
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= Promise.all(servers.map((server) => server.stop())).then(() => {});
    return stopped;
  };
  const failed = outcomes.findIndex((outcome) => outcome.status === "rejected");
  if (failed >= 0) {
    await stop();
    const reason = (outcomes[failed] as PromiseRejectedResult).reason as Error;
    throw new Error(count === 1 ? reason.message : `node ${failed + 1}: ${reason.message}`);
  }
  return { servers, stop };
}
