/**
 * The judge of REQ-7.1 and REQ-7.12: the longest stretch without a PING, over a window that starts at
 * the VERSION_RESPONSE. The stretches are measured on arrival at the scripted server, so they include
 * scheduling jitter on both sides; spec/README.md §7.1 says how much a judge allows for it.
 */

export interface PingGap {
  from: number;
  to: number;
  ms: number;
}

/** Every stretch without a PING in [start, end], the window's edges included. */
export function pingGaps(pingArrivals: readonly number[], start: number, end: number): PingGap[] {
  const points = [start, ...pingArrivals.filter((at) => at > start && at < end), end];
  const gaps: PingGap[] = [];
  for (let i = 1; i < points.length; i++) {
    gaps.push({ from: points[i - 1]!, to: points[i]!, ms: points[i]! - points[i - 1]! });
  }
  return gaps;
}

export function longestGap(gaps: readonly PingGap[]): PingGap {
  return gaps.reduce((longest, gap) => (gap.ms > longest.ms ? gap : longest));
}
