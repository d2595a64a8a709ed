/**
 * Codec throughput: the generated encoder and decoder against what the original implementation did (JSON:
 * `JSON.stringify` + `Buffer.from`, `JSON.parse(buf.toString())`) and against the Kaitai-generated parser of
 * the same spec (loaded through generated/kaitai-parser.ts, a createRequire of generated/kaitai/ParrotPdu.js),
 * one row per message type (bench/codec-samples.ts). tinybench with warm-up; each measured
 * iteration runs a batch of calls so the ~50 ns cost of reading the clock does not swamp a 100 ns decode.
 *
 * Fairness notes: the generated decoder validates UTF-8 and every length/enum constraint, the Kaitai parser
 * checks the `valid` constraints but not UTF-8, JSON.parse checks only JSON syntax. All decoders start from
 * the same Buffer and produce a full object.
 *
 * Standalone: node --import tsx bench/codec-bench.ts [--quick]
 */
import { Bench } from "tinybench";
import { decode, encode, MessageType, type Pdu } from "../generated/index.ts";
import { KaitaiStream, ParrotPdu } from "../generated/kaitai-parser.ts";
import { CODEC_SAMPLES, type CodecSample } from "./codec-samples.ts";
import { isEntryPoint } from "./entry-point.ts";
import { compact, ratio, table } from "./text-table.ts";

export interface CodecRow {
  name: string;
  frameBytes: number;
  jsonBytes: number;
  /** Operations per second. */
  encodeParrot: number;
  encodeJson: number;
  decodeParrot: number;
  decodeJson: number;
  decodeKaitai: number;
}

export interface CodecResult {
  rows: CodecRow[];
  /** Geometric means over the rows of parrot/baseline: >1 means the generated codec is faster. */
  geomean: { encodeVsJson: number; decodeVsJson: number; decodeVsKaitai: number };
  /** The row where each ratio is lowest, so a good mean cannot hide a slow message type. */
  worst: {
    encodeVsJson: { name: string; ratio: number };
    decodeVsJson: { name: string; ratio: number };
    decodeVsKaitai: { name: string; ratio: number };
  };
  timePerTaskMs: number;
  /** Message types of the spec with no sample in codec-samples.ts (should be empty). */
  uncoveredTypes: string[];
}

/** Calls per measured iteration. */
const BATCH = 200;

/** Keeps results observable so the JIT cannot drop a call whose result is unused. */
let sink: unknown;

function opsPerSecond(bench: Bench, taskName: string): number {
  const task = bench.getTask(taskName);
  const result = task?.result;
  if (!result || !("latency" in result)) {
    const error = result && "error" in result ? `: ${result.error.message}` : "";
    throw new Error(`codec bench task ${taskName} did not complete${error}`);
  }
  // latency.mean is ms per batch.
  return (BATCH * 1000) / result.latency.mean;
}

function batched(op: () => unknown): () => void {
  return () => {
    for (let i = 0; i < BATCH; i++) sink = op();
  };
}

function benchSample(sample: CodecSample, timeMs: number): CodecRow {
  const pdu: Pdu = sample.pdu;
  const frame = encode(pdu);
  const json = Buffer.from(JSON.stringify(pdu));
  // Cross-check once that every contender reads these bytes at all; a decoder that throws would "win".
  decode(frame);
  new ParrotPdu(new KaitaiStream(frame));
  JSON.parse(json.toString());

  const bench = new Bench({ time: timeMs, warmupTime: Math.max(20, timeMs / 3), throws: true });
  bench
    .add(
      "encode parrot",
      batched(() => encode(pdu)),
    )
    .add(
      "encode json",
      batched(() => Buffer.from(JSON.stringify(pdu))),
    )
    .add(
      "decode parrot",
      batched(() => decode(frame)),
    )
    .add(
      "decode json",
      batched(() => JSON.parse(json.toString())),
    )
    .add(
      "decode kaitai",
      batched(() => new ParrotPdu(new KaitaiStream(frame))),
    );
  bench.runSync();
  return {
    name: sample.name,
    frameBytes: frame.length,
    jsonBytes: json.length,
    encodeParrot: opsPerSecond(bench, "encode parrot"),
    encodeJson: opsPerSecond(bench, "encode json"),
    decodeParrot: opsPerSecond(bench, "decode parrot"),
    decodeJson: opsPerSecond(bench, "decode json"),
    decodeKaitai: opsPerSecond(bench, "decode kaitai"),
  };
}

function geometricMean(values: number[]): number {
  return Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
}

function worstRow(
  rows: CodecRow[],
  ratio: (row: CodecRow) => number,
): { name: string; ratio: number } {
  let worst = { name: "", ratio: Number.POSITIVE_INFINITY };
  for (const row of rows)
    if (ratio(row) < worst.ratio) worst = { name: row.name, ratio: ratio(row) };
  return worst;
}

export function runCodecBench(options: { timePerTaskMs: number }): CodecResult {
  const covered = new Set(CODEC_SAMPLES.map((sample) => sample.pdu.type));
  const uncoveredTypes = Object.keys(MessageType).filter(
    (type) => !covered.has(type as Pdu["type"]),
  );
  const rows = CODEC_SAMPLES.map((sample) => benchSample(sample, options.timePerTaskMs));
  if (sink === undefined) throw new Error("codec bench ran no operation");
  const encodeVsJson = (r: CodecRow) => r.encodeParrot / r.encodeJson;
  const decodeVsJson = (r: CodecRow) => r.decodeParrot / r.decodeJson;
  const decodeVsKaitai = (r: CodecRow) => r.decodeParrot / r.decodeKaitai;
  return {
    rows,
    geomean: {
      encodeVsJson: geometricMean(rows.map(encodeVsJson)),
      decodeVsJson: geometricMean(rows.map(decodeVsJson)),
      decodeVsKaitai: geometricMean(rows.map(decodeVsKaitai)),
    },
    worst: {
      encodeVsJson: worstRow(rows, encodeVsJson),
      decodeVsJson: worstRow(rows, decodeVsJson),
      decodeVsKaitai: worstRow(rows, decodeVsKaitai),
    },
    timePerTaskMs: options.timePerTaskMs,
    uncoveredTypes,
  };
}

/** The codec table of the report (bench/report-table.ts) and of this file run on its own. */
export function formatCodecTable(codec: CodecResult): string {
  const rows = codec.rows.map((r) => [
    r.name,
    String(r.frameBytes),
    compact(r.encodeParrot),
    compact(r.encodeJson),
    ratio(r.encodeParrot / r.encodeJson),
    compact(r.decodeParrot),
    compact(r.decodeJson),
    compact(r.decodeKaitai),
    ratio(r.decodeParrot / r.decodeJson),
    ratio(r.decodeParrot / r.decodeKaitai),
  ]);
  rows.push([
    "geometric mean",
    "",
    "",
    "",
    ratio(codec.geomean.encodeVsJson),
    "",
    "",
    "",
    ratio(codec.geomean.decodeVsJson),
    ratio(codec.geomean.decodeVsKaitai),
  ]);
  return [
    "Codec throughput (operations/s; ratio = generated codec / baseline)",
    table(
      [
        "message",
        "bytes",
        "enc parrot",
        "enc json",
        "enc ×json",
        "dec parrot",
        "dec json",
        "dec kaitai",
        "dec ×json",
        "dec ×kaitai",
      ],
      rows,
      [false, true, true, true, true, true, true, true, true, true],
    ),
    ...(codec.uncoveredTypes.length > 0
      ? [
          `not benchmarked (no sample in bench/codec-samples.ts): ${codec.uncoveredTypes.join(", ")}`,
        ]
      : []),
  ].join("\n");
}

if (isEntryPoint(import.meta.url)) {
  const quick = process.argv.includes("--quick");
  const result = runCodecBench({ timePerTaskMs: quick ? 40 : 300 });
  process.stdout.write(`${formatCodecTable(result)}\n`);
}
