/**
 * Plain-text tables for a terminal or a CI log, and the cells every bench table shares. Figures are
 * rounded for reading; bench/results/latest.json keeps them unrounded.
 */
import { type MachineLoad, OTHER_LOAD_FLAG_SHARE } from "./machine-load.ts";

export function table(headers: string[], rows: string[][], rightAligned: boolean[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (rightAligned[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** 1234567 → "1.23 M", 98765 → "98.8 k". */
export function compact(value: number): string {
  if (!Number.isFinite(value)) return "-";
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)} M`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)} k`;
  return value.toFixed(0);
}

export const ratio = (value: number) => `${value.toFixed(1)}×`;
export const ms = (value: number) => (value < 10 ? value.toFixed(3) : value.toFixed(1));

/** "34% ⚑": others' share of the cores in the worst round, flagged above OTHER_LOAD_FLAG_SHARE. */
export function loadCell(load: MachineLoad): string {
  return `${Math.round(load.otherShare * 100)}%${load.flagged ? " ⚑" : ""}`;
}

export const LOAD_NOTE =
  `others = CPU used by processes other than the bench's (generator + server) in the worst round, as a share ` +
  `of all cores (/proc/stat); ⚑ = above ${OTHER_LOAD_FLAG_SHARE * 100} %: those figures were taken on a busy ` +
  "machine and are flagged";
