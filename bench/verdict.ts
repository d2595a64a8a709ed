/**
 * How a target becomes a verdict: SKIP with the reason when its inputs were not measured, else PASS or
 * MISS by the margin (measured / required, oriented so that ≥ 1 passes), with the machine-load flag of
 * the runs it was judged on.
 */
import type { Verdict } from "./bench-results.ts";
import type { MachineLoad } from "./machine-load.ts";

/** Two generators "agree" on a server's CPU per round trip when they are this close (a ratio). */
export const GENERATOR_AGREEMENT = 1.25;

export function skip(target: string, why: string): Verdict {
  return { target, status: "SKIP", measured: why, margin: null, flagged: false };
}

export function judge(
  target: string,
  measured: string,
  margin: number,
  loads: (MachineLoad | null | undefined)[],
): Verdict {
  return {
    target,
    status: margin >= 1 ? "PASS" : "MISS",
    measured,
    margin,
    flagged: loads.some((l) => l?.flagged === true),
  };
}

export const times = (a: number, b: number) => `${(a / b).toFixed(2)} ×`;
export const rate = (value: number) => `${Math.round(value)}/s`;
