/**
 * ASCII diagrams of payload layouts, drawn from the codec model, for spec/README.md §3.1 and §12.3
 * (spec-readme-layouts.ts puts them there). One column per field, in wire order: its name over its
 * size in bytes (`n` for a string sized by the preceding length field, `<count> x 1` or
 * `<count> x <entry type>` for a repeated field). A layout wider than MAX_WIDTH continues in a
 * second box below ("(continued)"). Entry types (name_entry) get their own box under the message.
 */
import type { FieldModel, MessageModel } from "./codec-model.ts";

/** Widest diagram line: fits the README's code blocks without wrapping on GitHub. */
const MAX_WIDTH = 80;

interface Column {
  name: string;
  size: string;
}

function columnOf(f: FieldModel): Column {
  switch (f.kind) {
    case "int":
    case "length":
      return { name: f.id, size: String(f.bytes) };
    case "str":
      return { name: f.id, size: "n" };
    case "u1array":
      return { name: f.id, size: `${f.countField.id} x 1` };
    case "strlist":
      return { name: f.id, size: `${f.countField.id} x ${f.entryType}` };
  }
}

function center(text: string, width: number): string {
  const left = Math.floor((width - text.length) / 2);
  return " ".repeat(left) + text + " ".repeat(width - text.length - left);
}

/** One box: border, names, border, sizes, border. */
function box(columns: readonly Column[]): string[] {
  const widths = columns.map((c) => Math.max(c.name.length, c.size.length) + 2);
  const border = `+${widths.map((w) => "-".repeat(w)).join("+")}+`;
  const names = `|${columns.map((c, i) => ` ${c.name.padEnd(widths[i]! - 1)}`).join("|")}|`;
  const sizes = `|${columns.map((c, i) => center(c.size, widths[i]!)).join("|")}|`;
  return [border, names, border, sizes, border];
}

/** Width of a row of columns, borders included. */
function rowWidth(columns: readonly Column[]): number {
  return columns.reduce((n, c) => n + Math.max(c.name.length, c.size.length) + 3, 1);
}

/**
 * Splits columns into the fewest rows no wider than MAX_WIDTH (a single column may be wider) and,
 * among those splits, the one whose widest row is narrowest: rows of similar width read best.
 */
function rows(columns: readonly Column[]): Column[][] {
  for (let k = 1; k < columns.length; k++) {
    const best = balancedSplit(columns, k);
    if (best !== undefined && Math.max(...best.map(rowWidth)) <= MAX_WIDTH) return best;
  }
  return columns.map((c) => [c]);
}

/** The split of `columns` into `k` contiguous rows whose widest row is narrowest. */
function balancedSplit(columns: readonly Column[], k: number): Column[][] | undefined {
  if (k === 1) return [[...columns]];
  let best: Column[][] | undefined;
  let bestWidth = Number.POSITIVE_INFINITY;
  for (let cut = 1; cut <= columns.length - (k - 1); cut++) {
    const rest = balancedSplit(columns.slice(cut), k - 1);
    if (rest === undefined) continue;
    const split = [columns.slice(0, cut), ...rest];
    const width = Math.max(...split.map(rowWidth));
    if (width < bestWidth) {
      best = split;
      bestWidth = width;
    }
  }
  return best;
}

/** The diagram's lines, without a code fence. An empty payload has no diagram: say so in prose. */
export function layoutDiagram(m: MessageModel): string[] {
  if (m.fields.length === 0) throw new Error(`${m.name} has an empty payload: it has no diagram`);
  const lines: string[] = [];
  rows(m.fields.map(columnOf)).forEach((row, i) => {
    const drawn = box(row);
    if (i > 0) lines.push(center("(continued)", lines[lines.length - 1]!.length).trimEnd());
    lines.push(...drawn);
  });
  const entries = new Map<string, Column[]>();
  for (const f of m.fields) {
    if (f.kind === "strlist" && !entries.has(f.entryType)) {
      entries.set(f.entryType, [
        { name: f.itemLength.id, size: String(f.itemLength.bytes) },
        { name: f.itemId, size: "n" },
      ]);
    }
  }
  for (const [entryType, columns] of entries) lines.push("", `${entryType}:`, ...box(columns));
  return lines;
}

/** Whether two messages have the same layout (same field ids, kinds and widths, in order). */
export function sameLayout(a: MessageModel, b: MessageModel): boolean {
  const shape = (m: MessageModel) => JSON.stringify(m.fields.map(columnOf));
  return shape(a) === shape(b);
}
