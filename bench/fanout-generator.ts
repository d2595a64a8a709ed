/**
 * The fan-out load generator: M members, S of them senders, each sender in closed loop.
 * - room: every member is in one room; a sender's ROOM_SAY (MQTT: PUBLISH to the room topic) must reach
 *   all M members (the sender too) before that sender says the next thing, so S messages are in flight;
 * - dm: every member sends direct messages to a random other member, the next once the recipient has the
 *   previous one.
 * Latency is from the send to each member's receipt (all in this one process, one clock). The generator
 * verifies what a chat user would notice: nothing lost, nothing duplicated, each sender's messages in
 * the order sent, and in a room one order for every member (each member hashes the sequence it saw; after
 * the drain all hashes must be equal). With --port2 every other member connects there instead: a
 * cluster's second node (bench/cluster-bench.ts), so a room's members are split over two nodes.
 *
 *   node --import tsx bench/fanout-generator.ts --target parrot|mosquitto --mode room|dm --host H \
 *     --port P [--port2 P2] --members M [--senders S] [--warmup-ms MS] [--duration-ms MS] [--credentials FILE] \
 *     [--server-pid PID] [--json]
 */
import { parseArgs } from "node:util";
import { readCredentials } from "./bench-users.ts";
import { forEachBounded } from "./bounded-concurrency.ts";
import { isEntryPoint } from "./entry-point.ts";
import {
  type FanoutMember,
  type MemberEvents,
  type MemberOptions,
  openMqttMember,
  openParrotMember,
} from "./fanout-member.ts";
import { LatencyHistogram, type LatencySummary } from "./latency-histogram.ts";
import { type MachineLoad, machineLoadOver, readCpuCounters } from "./machine-load.ts";
import { readCpuSeconds } from "./proc-stats.ts";

export type FanoutMode = "room" | "dm";
export type FanoutTargetName = "parrot" | "mosquitto";

export interface FanoutResult {
  mode: FanoutMode;
  members: number;
  senders: number;
  openMs: number;
  measuredMs: number;
  /** Messages sent whose every delivery completed inside the window. */
  messages: number;
  /** Receipts inside the window (a room message to M members is M deliveries). */
  deliveries: number;
  deliveriesPerSec: number;
  latency: LatencySummary;
  serverCpuUsPerDelivery: number | null;
  serverCpuUtilisation: number | null;
  generatorCpuUsPerDelivery: number;
  generatorCpuUtilisation: number;
  /** Deliveries still missing after the drain. */
  lost: number;
  /** Receipts of a message that was not in flight to that member (duplicates, wrong order). */
  unexpected: number;
  /** Members whose room sequence differs from member 0's (room mode). */
  orderMismatches: number;
  errors: number;
  firstError: string | null;
  machineLoad: MachineLoad;
  generator: "ts" | "c";
}

export interface FanoutOptions {
  mode: FanoutMode;
  members: number;
  senders: number;
  warmupMs: number;
  durationMs: number;
  serverPid?: number;
  open: (index: number, events: MemberEvents) => Promise<FanoutMember>;
}

interface InFlight {
  messageId: number;
  sentAt: number;
  /** Members that have not received it yet (room: all M; dm: the recipient). */
  remaining: number;
  /** dm: the recipient's index. */
  to: number;
}

const DRAIN_TIMEOUT_MS = 10_000;

export async function runFanout(options: FanoutOptions): Promise<FanoutResult> {
  const { mode, members: m } = options;
  const senders = mode === "dm" ? m : Math.min(options.senders, m);
  const histogram = new LatencyHistogram();
  let measuring = false;
  let stopping = false;
  let deliveries = 0;
  let messages = 0;
  let unexpected = 0;
  let errors = 0;
  let firstError: string | null = null;
  const inFlight: (InFlight | null)[] = new Array(senders).fill(null);
  const nextId = new Array<number>(senders).fill(1);
  const orderHash = new Array<number>(m).fill(0x811c9dc5);
  let members: FanoutMember[] = [];
  let drained: () => void = () => {};

  const send = (s: number) => {
    const messageId = nextId[s]!;
    nextId[s] = messageId + 1;
    if (mode === "room") {
      inFlight[s] = { messageId, sentAt: performance.now(), remaining: m, to: -1 };
      members[s]!.say(messageId);
    } else {
      const to = (s + 1 + Math.floor(Math.random() * (m - 1))) % m;
      inFlight[s] = { messageId, sentAt: performance.now(), remaining: 1, to };
      members[s]!.sendDirect(messageId, members[to]!);
    }
  };
  const delivered = (member: number, from: number, messageId: number) => {
    const flight = from >= 0 && from < senders ? inFlight[from] : null;
    if (
      flight === null ||
      flight === undefined ||
      flight.messageId !== messageId ||
      (mode === "dm" && flight.to !== member)
    ) {
      unexpected++;
      return;
    }
    if (mode === "room")
      orderHash[member] = Math.imul(orderHash[member]! ^ ((from << 20) ^ messageId), 16777619);
    if (measuring) {
      histogram.record(performance.now() - flight.sentAt);
      deliveries++;
    }
    flight.remaining--;
    if (flight.remaining > 0) return;
    inFlight[from] = null;
    if (measuring) messages++;
    if (!stopping) send(from);
    else if (inFlight.every((f) => f === null)) drained();
  };
  const eventsFor = (index: number): MemberEvents => ({
    delivered: (from, messageId) => delivered(index, from, messageId),
    failed: (error) => {
      errors++;
      firstError ??= error.message;
    },
  });

  const openStarted = performance.now();
  members = await forEachBounded(m, 64, (i) => options.open(i, eventsFor(i)));
  const openMs = performance.now() - openStarted;

  for (let s = 0; s < senders; s++) send(s);
  await sleep(options.warmupMs);
  histogram.reset();
  measuring = true;
  const cpuStart = process.cpuUsage();
  const serverCpuStart = options.serverPid ? readCpuSeconds(options.serverPid) : 0;
  const countersStart = readCpuCounters();
  const windowStart = performance.now();
  await sleep(options.durationMs);
  measuring = false;
  const measuredMs = performance.now() - windowStart;
  const countersEnd = readCpuCounters();
  const serverCpu = options.serverPid ? readCpuSeconds(options.serverPid) - serverCpuStart : null;
  const cpu = process.cpuUsage(cpuStart);
  const latency = histogram.summary();

  stopping = true;
  const allDrained = new Promise<void>((resolve) => {
    drained = resolve;
    if (inFlight.every((f) => f === null)) resolve();
  });
  await Promise.race([allDrained, sleep(DRAIN_TIMEOUT_MS)]);
  const lost = inFlight.reduce((sum, f) => sum + (f?.remaining ?? 0), 0);
  const orderMismatches = mode === "room" ? orderHash.filter((h) => h !== orderHash[0]).length : 0;
  await forEachBounded(m, 64, (i) => members[i]!.close().catch(() => {}));

  const generatorCpuUs = cpu.user + cpu.system;
  const seconds = measuredMs / 1000;
  return {
    mode,
    members: m,
    senders,
    openMs,
    measuredMs,
    messages,
    deliveries,
    deliveriesPerSec: deliveries / seconds,
    latency,
    serverCpuUsPerDelivery:
      serverCpu === null || deliveries === 0 ? null : (serverCpu * 1e6) / deliveries,
    serverCpuUtilisation: serverCpu === null ? null : serverCpu / seconds,
    generatorCpuUsPerDelivery: deliveries > 0 ? generatorCpuUs / deliveries : 0,
    generatorCpuUtilisation: generatorCpuUs / 1e6 / seconds,
    lost,
    unexpected,
    orderMismatches,
    errors,
    firstError,
    machineLoad: machineLoadOver(
      countersStart,
      countersEnd,
      generatorCpuUs / 1e6 + (serverCpu ?? 0),
      seconds,
    ),
    generator: "ts",
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      target: { type: "string" },
      mode: { type: "string", default: "room" },
      host: { type: "string", default: "127.0.0.1" },
      port: { type: "string" },
      port2: { type: "string" },
      members: { type: "string", default: "10" },
      senders: { type: "string", default: "4" },
      "warmup-ms": { type: "string", default: "1000" },
      "duration-ms": { type: "string", default: "5000" },
      credentials: { type: "string" },
      "server-pid": { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  const target = values.target;
  const mode = values.mode;
  if ((target !== "parrot" && target !== "mosquitto") || (mode !== "room" && mode !== "dm")) {
    throw new Error(
      "usage: fanout-generator.ts --target parrot|mosquitto --mode room|dm --port P ...",
    );
  }
  if (values.port === undefined) throw new Error("--port is required");
  const members = Number(values.members);
  const credentials =
    target === "parrot"
      ? readCredentials(values.credentials ?? "--credentials FILE is required", members)
      : [];
  const indexOf = new Map(credentials.map((c, i) => [c.username, i]));
  const base = { host: values.host, port: Number(values.port), indexOf };
  const port2 = values.port2 === undefined ? undefined : Number(values.port2);
  const open = (index: number, events: MemberEvents) => {
    const port = port2 !== undefined && index % 2 === 1 ? port2 : base.port;
    const member: MemberOptions = {
      ...base,
      port,
      index,
      events,
      credentials: credentials[index],
    };
    return target === "parrot" ? openParrotMember(member) : openMqttMember(member);
  };
  const result = await runFanout({
    mode,
    members,
    senders: Number(values.senders),
    warmupMs: Number(values["warmup-ms"]),
    durationMs: Number(values["duration-ms"]),
    serverPid: values["server-pid"] ? Number(values["server-pid"]) : undefined,
    open,
  });
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const l = result.latency;
  process.stdout.write(
    `${target} ${mode} M=${members} S=${result.senders}: ${Math.round(result.deliveriesPerSec)} deliveries/s, ` +
      `p50 ${l.p50Ms.toFixed(3)} ms, p99 ${l.p99Ms.toFixed(3)} ms, lost ${result.lost}, ` +
      `unexpected ${result.unexpected}, order mismatches ${result.orderMismatches}, errors ${result.errors}` +
      `${result.firstError ? ` (${result.firstError})` : ""}\n`,
  );
}

if (isEntryPoint(import.meta.url)) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(
        `fan-out generator: ${error instanceof Error ? error.message : error}\n`,
      );
      process.exit(1);
    },
  );
}
