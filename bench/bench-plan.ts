/**
 * What one `make bench` run measures: the command line (and SESSIONS= in the environment) read against
 * one table of sizes, each with its full and its `--quick` default, so a new size is one entry here and
 * one row in bench/README.md's options table.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";

/** Comma-separated lists of positive integers: [full default, --quick default]. */
const LISTS = {
  concurrency: ["1,50,500,2000", "1,50"],
  /** C of the transport rows: QUIC sessions cost far more than TCP ones, so fewer. */
  "transport-concurrency": ["1,50", "1,16"],
  "room-sizes": ["10,50,200", "10,200"],
} as const;

/** Positive integers: [full default, --quick default]. */
const COUNTS = {
  "codec-ms": [300, 40],
  senders: [4, 4],
  "dm-users": [200, 50],
  "login-clients": [256, 32],
  "duration-ms": [6000, 1500],
  "warmup-ms": [1000, 500],
  rounds: [3, 1],
  sessions: [10_000, 1000],
  /** 5 nodes × 19 000: past the 20 000 open files one process may have here. */
  "cluster-sessions": [95_000, 2000],
} as const;

/** Read from the environment when the flag is absent. */
const ENVIRONMENT: Partial<Record<keyof typeof COUNTS, string>> = { sessions: "SESSIONS" };

export interface Plan {
  quick: boolean;
  parts: Set<string>;
  lists: Record<keyof typeof LISTS, number[]>;
  counts: Record<keyof typeof COUNTS, number>;
  /** CPU-profile every Parrot server run into this directory (`node --cpu-prof`). */
  profileDir: string | undefined;
  /** Heap snapshots of the session-scale Parrot server at N/10 and N, for bench/heap-diff.ts. */
  heapSnapshotDir: string | undefined;
}

function positive(text: string, what: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) {
    throw new Error(`${what} must be a positive integer, got ${text}`);
  }
  return n;
}

function entries<T extends object>(table: T): [keyof T & string, T[keyof T]][] {
  return Object.entries(table) as [keyof T & string, T[keyof T]][];
}

/** Throws on a bad option; `known` are the parts `--only` may name, in the order they run. */
export function readPlan(known: readonly string[], args = process.argv.slice(2)): Plan {
  const names = [...Object.keys(LISTS), ...Object.keys(COUNTS)];
  const { values } = parseArgs({
    args,
    options: {
      quick: { type: "boolean", default: false },
      only: { type: "string" },
      profile: { type: "string" },
      "heap-snapshots": { type: "string" },
      ...Object.fromEntries(names.map((name) => [name, { type: "string" as const }])),
    },
  });
  const text = (name: string) => values[name as keyof typeof values] as string | undefined;
  const quick = values.quick === true;
  const pick = <V>(defaults: readonly [V, V]) => (quick ? defaults[1] : defaults[0]);

  const only = text("only")
    ?.split(",")
    .map((s) => s.trim()) ?? [...known];
  const unknown = only.filter((p) => !known.includes(p));
  if (unknown.length > 0) {
    throw new Error(`--only: unknown part(s) ${unknown.join(", ")}; known: ${known.join(", ")}`);
  }
  const lists = {} as Plan["lists"];
  for (const [name, defaults] of entries(LISTS)) {
    lists[name] = (text(name) ?? pick(defaults))
      .split(",")
      .map((item) => positive(item, `--${name}`));
  }
  const counts = {} as Plan["counts"];
  for (const [name, defaults] of entries(COUNTS)) {
    const variable = ENVIRONMENT[name];
    const given = text(name) ?? (variable === undefined ? undefined : process.env[variable]);
    counts[name] =
      given === undefined || given === ""
        ? pick(defaults)
        : positive(given, variable ? `--${name} (or ${variable})` : `--${name}`);
  }
  const dir = (name: "profile" | "heap-snapshots") => {
    const given = text(name);
    return given === undefined ? undefined : resolve(given);
  };
  return {
    quick,
    parts: new Set(only),
    lists,
    counts,
    profileDir: dir("profile"),
    heapSnapshotDir: dir("heap-snapshots"),
  };
}

/** The history part's room: the middle fan-out size, what a busy room looks like. */
export function historyMembers(plan: Plan): number {
  const sizes = [...plan.lists["room-sizes"]].sort((a, b) => a - b);
  return sizes[Math.floor((sizes.length - 1) / 2)]!;
}

/** The cluster part's echo C: the largest echo concurrency up to 500 (so 500, and 50 in --quick). */
export function clusterEchoSessions(plan: Plan): number {
  const upTo500 = plan.lists.concurrency.filter((c) => c <= 500);
  return upTo500.length === 0 ? 500 : Math.max(...upTo500);
}
