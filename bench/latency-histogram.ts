/**
 * Round-trip latency distribution for the load generator, kept in an HDR histogram: memory stays constant
 * however many round trips are recorded (a 5 s run at C = 1000 records millions), and percentiles are exact
 * to 3 significant digits instead of coming from a sorted array of every sample.
 */
import * as hdr from "hdr-histogram-js";

/** Latencies are recorded in whole microseconds: loopback round trips are tens of µs at best. */
const MICROS_PER_MS = 1000;

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

export class LatencyHistogram {
  private readonly histogram = hdr.build({
    bitBucketSize: 32,
    autoResize: true,
    lowestDiscernibleValue: 1,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });

  record(latencyMs: number): void {
    // A zero would be dropped into the lowest bucket anyway; clamp so sub-µs never reads as "no sample".
    this.histogram.recordValue(Math.max(1, Math.round(latencyMs * MICROS_PER_MS)));
  }

  reset(): void {
    this.histogram.reset();
  }

  summary(): LatencySummary {
    const h = this.histogram;
    return {
      count: h.totalCount,
      p50Ms: h.getValueAtPercentile(50) / MICROS_PER_MS,
      p99Ms: h.getValueAtPercentile(99) / MICROS_PER_MS,
      maxMs: h.maxValue / MICROS_PER_MS,
      meanMs: h.mean / MICROS_PER_MS,
    };
  }
}
