/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`, e.g. `make bench ARGS="--profile DIR"`) as the
 * functions with the most self time, and the same grouped by file, so a bench finding can quote what the
 * profile shows without opening Chrome DevTools:
 *   node --import tsx bench/profile-summary.ts FILE.cpuprofile [--top 25]
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { isEntryPoint } from "./entry-point.ts";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileLine {
  name: string;
  selfMs: number;
  percent: number;
}

function shortUrl(url: string): string {
  const index = url.lastIndexOf("/work/main/");
  if (url.startsWith("node:")) return url;
  return index >= 0 ? url.slice(index + "/work/main/".length) : url.replace(/^file:\/\//, "");
}

export interface ProfileSummary {
  /** Self time: samples in the function itself. */
  byFunction: ProfileLine[];
  /** Total time: samples in the function or anything it called (each call path counted once). */
  inclusive: ProfileLine[];
  byFile: ProfileLine[];
  totalMs: number;
}

function label(node: ProfileNode): { fn: string; file: string } {
  const frame = node.callFrame;
  const file = frame.url === "" ? "(native/V8)" : shortUrl(frame.url);
  const fn = `${frame.functionName || "(anonymous)"} ${file}${frame.url ? `:${frame.lineNumber + 1}` : ""}`;
  return { fn, file };
}

export function summariseProfile(profile: CpuProfile): ProfileSummary {
  // Self time per node: sum of the time deltas of the samples that landed in it.
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i + 1] ?? deltas[i] ?? 0));
  }
  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0) || 1;
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us === 0) continue;
    const { fn, file } = label(node);
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    byFile.set(file, (byFile.get(file) ?? 0) + us);
  }

  // Inclusive time: walk the call tree from the root, charging each node's subtree to its function once
  // per path (a recursive function is not charged again below itself).
  const nodesById = new Map(profile.nodes.map((node) => [node.id, node]));
  const inclusive = new Map<string, number>();
  const subtree = new Map<number, number>();
  const total = (id: number): number => {
    const cached = subtree.get(id);
    if (cached !== undefined) return cached;
    const node = nodesById.get(id);
    let us = selfUs.get(id) ?? 0;
    for (const child of node?.children ?? []) us += total(child);
    subtree.set(id, us);
    return us;
  };
  const walk = (id: number, onPath: Set<string>) => {
    const node = nodesById.get(id);
    if (node === undefined) return;
    const { fn } = label(node);
    const fresh = !onPath.has(fn);
    if (fresh) {
      inclusive.set(fn, (inclusive.get(fn) ?? 0) + total(id));
      onPath.add(fn);
    }
    for (const child of node.children ?? []) walk(child, onPath);
    if (fresh) onPath.delete(fn);
  };
  const root = profile.nodes[0];
  if (root) walk(root.id, new Set());
  const lines = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([name, us]) => ({ name, selfMs: us / 1000, percent: (100 * us) / totalUs }));
  return {
    byFunction: lines(byFunction),
    inclusive: lines(inclusive),
    byFile: lines(byFile),
    totalMs: totalUs / 1000,
  };
}

if (isEntryPoint(import.meta.url)) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: "string", default: "25" } },
  });
  const file = positionals[0];
  if (file === undefined) throw new Error("usage: profile-summary.ts FILE.cpuprofile [--top N]");
  const summary = summariseProfile(JSON.parse(readFileSync(file, "utf8")) as CpuProfile);
  const top = Number(values.top);
  const print = (title: string, lines: ProfileLine[]) => {
    process.stdout.write(`${title}\n`);
    for (const line of lines.slice(0, top)) {
      process.stdout.write(
        `${line.percent.toFixed(1).padStart(5)}%  ${line.selfMs.toFixed(0).padStart(7)} ms  ${line.name}\n`,
      );
    }
  };
  process.stdout.write(`${file}: ${summary.totalMs.toFixed(0)} ms sampled\n`);
  print("\nself time by function", summary.byFunction);
  print("\nself time by file", summary.byFile);
  print("\ntotal time (self + callees) by function", summary.inclusive);
}
