/**
 * What a session costs in the V8 heap, by kind of object: compares two heap snapshots of the same server
 * (bench/run.ts --heap-snapshots DIR takes one at N/10 and one at N sessions) and prints, per constructor or
 * closure name, the growth in bytes and objects divided by the number of sessions added:
 *   node --import tsx bench/heap-diff.ts tenth.heapsnapshot full.heapsnapshot --sessions 2700 [--top 30]
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { isEntryPoint } from "./entry-point.ts";

interface HeapSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

export interface HeapGroup {
  name: string;
  bytes: number;
  count: number;
}

/** Self size and object count per "type name" (e.g. "object Session", "closure onData", "string"). */
export function groupHeap(snapshot: HeapSnapshot): Map<string, HeapGroup> {
  const fields = snapshot.snapshot.meta.node_fields;
  const typeNames = snapshot.snapshot.meta.node_types[0];
  const stride = fields.length;
  const typeAt = fields.indexOf("type");
  const nameAt = fields.indexOf("name");
  const sizeAt = fields.indexOf("self_size");
  const groups = new Map<string, HeapGroup>();
  const { nodes, strings } = snapshot;
  for (let i = 0; i < nodes.length; i += stride) {
    const type = typeNames[nodes[i + typeAt]!] ?? "?";
    // Strings and numbers are grouped by type alone: their "name" is their content.
    const named = type === "object" || type === "closure" || type === "native" || type === "hidden";
    const key = named ? `${type} ${strings[nodes[i + nameAt]!] ?? "?"}` : type;
    const group = groups.get(key) ?? { name: key, bytes: 0, count: 0 };
    group.bytes += nodes[i + sizeAt]!;
    group.count += 1;
    groups.set(key, group);
  }
  return groups;
}

export function diffHeaps(
  before: Map<string, HeapGroup>,
  after: Map<string, HeapGroup>,
): HeapGroup[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names]
    .map((name) => ({
      name,
      bytes: (after.get(name)?.bytes ?? 0) - (before.get(name)?.bytes ?? 0),
      count: (after.get(name)?.count ?? 0) - (before.get(name)?.count ?? 0),
    }))
    .sort((a, b) => b.bytes - a.bytes);
}

if (isEntryPoint(import.meta.url)) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { sessions: { type: "string" }, top: { type: "string", default: "30" } },
  });
  const [beforeFile, afterFile] = positionals;
  if (beforeFile === undefined || afterFile === undefined || values.sessions === undefined) {
    throw new Error(
      "usage: heap-diff.ts BEFORE.heapsnapshot AFTER.heapsnapshot --sessions N [--top 30]",
    );
  }
  const read = (file: string) => groupHeap(JSON.parse(readFileSync(file, "utf8")) as HeapSnapshot);
  const sessions = Number(values.sessions);
  const diff = diffHeaps(read(beforeFile), read(afterFile));
  const total = diff.reduce((sum, g) => sum + g.bytes, 0);
  process.stdout.write(
    `heap growth per session: ${(total / sessions).toFixed(0)} bytes over ${sessions} sessions\n` +
      `${"bytes/session".padStart(13)}  ${"objects/session".padStart(15)}  kind\n`,
  );
  for (const group of diff.slice(0, Number(values.top))) {
    process.stdout.write(
      `${(group.bytes / sessions).toFixed(0).padStart(13)}  ${(group.count / sessions).toFixed(2).padStart(15)}  ${group.name}\n`,
    );
  }
}
