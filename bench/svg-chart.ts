/**
 * bench/results/chart.svg: four panels a person reads at a glance: echo throughput and echo p99 against
 * the number of sessions C, room fan-out deliveries/s and p99 against the room size M. One colour per
 * server, solid lines for the native generator, dashed for the TypeScript cross-check; a hollow marker is a
 * point whose figures are flagged (other processes used > 10 % of the cores while it was measured).
 * Values are in the tooltips and the tables, never printed over the lines. Plain SVG, no chart library.
 */
import type { EchoResult } from "./echo-bench.ts";
import type { FanoutBenchResult } from "./fanout-bench.ts";
import type { MachineLoad } from "./machine-load.ts";

const COLORS: Record<string, string> = {
  parrot: "#d9480f",
  raw: "#1c7ed6",
  mosquitto: "#2f9e44",
};
const LABELS: Record<string, string> = {
  parrot: "Parrot server",
  raw: "raw node:net echo",
  mosquitto: "mosquitto QoS 0",
};

const PANEL_W = 400;
const PANEL_H = 240;
const MARGIN = { left: 80, right: 40, top: 60, bottom: 95 };
const CELL_W = PANEL_W + MARGIN.left + MARGIN.right;
const CELL_H = PANEL_H + MARGIN.top + MARGIN.bottom;
const HEADER_H = 30;

interface Series {
  label: string;
  color: string;
  dashed: boolean;
  points: { x: number; y: number; load: MachineLoad }[];
}

interface Axis {
  toPixel: (value: number) => number;
  ticks: { value: number; label: string }[];
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A round step (1, 2 or 5 × 10^k) giving about five ticks from 0 to max. */
function linearAxis(max: number, pixels: number, format: (v: number) => string): Axis {
  const rough = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(rough || 1));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? rough;
  const top = Math.ceil(max / step) * step || 1;
  const ticks = [];
  for (let v = 0; v <= top + step / 2; v += step) ticks.push({ value: v, label: format(v) });
  return { toPixel: (v) => pixels - (v / top) * pixels, ticks };
}

/** Decades from below min to above max; `up` puts larger values higher (a y axis). */
function logAxis(
  min: number,
  max: number,
  pixels: number,
  format: (v: number) => string,
  up: boolean,
): Axis {
  const lo = 10 ** Math.floor(Math.log10(min));
  const hi = 10 ** Math.ceil(Math.log10(max));
  const span = Math.log10(hi) - Math.log10(lo) || 1;
  const ticks = [];
  for (let v = lo; v <= hi * 1.0001; v *= 10) ticks.push({ value: v, label: format(v) });
  const fraction = (v: number) => (Math.log10(v) - Math.log10(lo)) / span;
  return { toPixel: (v) => (up ? pixels - fraction(v) * pixels : fraction(v) * pixels), ticks };
}

function formatRate(v: number): string {
  if (v >= 1e6) return `${+(v / 1e6).toFixed(1)} M`;
  if (v >= 1e3) return `${+(v / 1e3).toFixed(0)} k`;
  return String(+v.toFixed(0));
}

function formatMs(v: number): string {
  return v >= 1 ? `${+v.toFixed(0)} ms` : `${+v.toPrecision(1)} ms`;
}

interface PanelSpec {
  title: string;
  yTitle: string;
  xTitle: string;
  xName: string;
  xs: number[];
  series: Series[];
  logY: boolean;
  yFormat: (v: number) => string;
  tooltip: (v: number) => string;
}

function panel(originX: number, originY: number, spec: PanelSpec): string {
  const left = originX + MARGIN.left;
  const top = originY + MARGIN.top;
  const values = spec.series.flatMap((s) => s.points.map((p) => p.y)).filter((v) => v > 0);
  const yAxis = spec.logY
    ? logAxis(Math.min(...values, 1), Math.max(...values, 1), PANEL_H, spec.yFormat, true)
    : linearAxis(Math.max(1, ...values), PANEL_H, spec.yFormat);
  const xAxis =
    spec.xs.length > 1
      ? logAxis(Math.min(...spec.xs), Math.max(...spec.xs), PANEL_W, String, false)
      : { toPixel: () => PANEL_W / 2, ticks: [] };
  const x = (v: number) => left + xAxis.toPixel(v);
  const y = (v: number) => top + yAxis.toPixel(v);
  const out: string[] = [
    `<text x="${left + PANEL_W / 2}" y="${top - 14}" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(spec.title)}</text>`,
  ];
  for (const tick of yAxis.ticks) {
    out.push(
      `<line x1="${left}" x2="${left + PANEL_W}" y1="${y(tick.value)}" y2="${y(tick.value)}" stroke="#e9ecef"/>`,
      `<text x="${left - 8}" y="${y(tick.value) + 4}" text-anchor="end" font-size="11" fill="#495057">${escapeXml(tick.label)}</text>`,
    );
  }
  for (const v of spec.xs) {
    out.push(
      `<line x1="${x(v)}" x2="${x(v)}" y1="${top}" y2="${top + PANEL_H}" stroke="#e9ecef"/>`,
      `<text x="${x(v)}" y="${top + PANEL_H + 17}" text-anchor="middle" font-size="11" fill="#495057">${spec.xName}=${v}</text>`,
    );
  }
  out.push(
    `<rect x="${left}" y="${top}" width="${PANEL_W}" height="${PANEL_H}" fill="none" stroke="#adb5bd"/>`,
    `<text x="${left + PANEL_W / 2}" y="${top + PANEL_H + 36}" text-anchor="middle" font-size="12">${escapeXml(spec.xTitle)}</text>`,
    `<text transform="translate(${left - 58},${top + PANEL_H / 2}) rotate(-90)" text-anchor="middle" font-size="12">${escapeXml(spec.yTitle)}</text>`,
  );
  for (const s of spec.series) {
    const points = [...s.points].filter((p) => p.y > 0).sort((a, b) => a.x - b.x);
    if (points.length === 0) continue;
    const dash = s.dashed ? ' stroke-dasharray="7 5"' : "";
    out.push(
      `<polyline points="${points.map((p) => `${x(p.x).toFixed(1)},${y(p.y).toFixed(1)}`).join(" ")}" fill="none" stroke="${s.color}" stroke-width="2.5"${dash}/>`,
    );
    for (const p of points) {
      const fill = p.load.flagged ? "white" : s.color;
      const flag = p.load.flagged
        ? ` (flagged: others used ${Math.round(p.load.otherShare * 100)} % of the cores)`
        : "";
      out.push(
        `<circle cx="${x(p.x).toFixed(1)}" cy="${y(p.y).toFixed(1)}" r="4.5" fill="${fill}" stroke="${s.color}" stroke-width="2"><title>${escapeXml(`${s.label}, ${spec.xName}=${p.x}: ${spec.tooltip(p.y)}${flag}`)}</title></circle>`,
      );
    }
  }
  return out.join("\n");
}

/** One legend per row of panels (both panels of a row show the same series), under them, so it never covers a line. */
function legend(originY: number, series: Series[]): string {
  return series
    .map((s, i) => {
      const ly = originY + MARGIN.top + PANEL_H + 60 + Math.floor(i / 3) * 18;
      const lx = MARGIN.left + (i % 3) * 320;
      const dash = s.dashed ? ' stroke-dasharray="7 5"' : "";
      return (
        `<line x1="${lx}" x2="${lx + 28}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2.5"${dash}/>` +
        `<text x="${lx + 34}" y="${ly}" font-size="12">${escapeXml(s.label)}</text>`
      );
    })
    .join("\n");
}

function echoSeries(
  echo: EchoResult,
  value: (p: EchoResult["points"][number]) => number,
): Series[] {
  const keys = [...new Set(echo.points.map((p) => `${p.target}/${p.generator}`))];
  return keys.map((key) => {
    const [target, generator] = key.split("/") as [string, string];
    const points = echo.points.filter((p) => `${p.target}/${p.generator}` === key);
    return {
      label: `${LABELS[target] ?? target} (${generator === "c" ? "native C" : "TypeScript"} generator)`,
      color: COLORS[target] ?? "#868e96",
      dashed: generator !== "c",
      points: points.map((p) => ({ x: p.sessions, y: value(p), load: p.machineLoad })),
    };
  });
}

function fanoutSeries(
  fanout: FanoutBenchResult,
  value: (p: FanoutBenchResult["points"][number]) => number,
): Series[] {
  const room = fanout.points.filter((p) => p.mode === "room");
  const keys = [...new Set(room.map((p) => `${p.target}/${p.generator}`))];
  return keys.map((key) => {
    const [target, generator] = key.split("/") as [string, string];
    return {
      label: `${LABELS[target] ?? target} (${generator === "c" ? "native C" : "TypeScript"} generator)`,
      color: COLORS[target] ?? "#868e96",
      dashed: generator !== "c",
      points: room
        .filter((p) => `${p.target}/${p.generator}` === key)
        .map((p) => ({ x: p.members, y: value(p), load: p.machineLoad })),
    };
  });
}

export function renderBenchChart(
  echo: EchoResult | null,
  fanout: FanoutBenchResult | null,
  subtitle: string,
): string {
  const panels: string[] = [];
  let rows = 0;
  const p99 = (ms: number) => Math.max(ms, 0.001);
  const msTip = (v: number) => `${v.toFixed(v < 1 ? 3 : 1)} ms`;
  if (echo !== null && echo.points.length > 0) {
    const originY = HEADER_H + rows * CELL_H;
    const common = {
      xTitle: "concurrent sessions C, closed loop (log scale)",
      xName: "C",
      xs: echo.concurrency,
    };
    panels.push(
      panel(0, originY, {
        ...common,
        title: "Echo throughput (higher is better)",
        yTitle: "round trips / s",
        series: echoSeries(echo, (p) => p.roundTripsPerSec),
        logY: false,
        yFormat: formatRate,
        tooltip: (v) => `${formatRate(v)} round trips/s`,
      }),
      panel(CELL_W, originY, {
        ...common,
        title: "Echo p99 latency (lower is better)",
        yTitle: "p99 round trip (log scale)",
        series: echoSeries(echo, (p) => p99(p.latency.p99Ms)),
        logY: true,
        yFormat: formatMs,
        tooltip: msTip,
      }),
      legend(
        originY,
        echoSeries(echo, () => 0),
      ),
    );
    rows++;
  }
  if (fanout?.points.some((p) => p.mode === "room")) {
    const originY = HEADER_H + rows * CELL_H;
    const common = {
      xTitle: `room members M, ${fanout.senders} senders (log scale)`,
      xName: "M",
      xs: fanout.roomSizes,
    };
    panels.push(
      panel(0, originY, {
        ...common,
        title: "Room fan-out deliveries (higher is better)",
        yTitle: "deliveries / s (one per member)",
        series: fanoutSeries(fanout, (p) => p.deliveriesPerSec),
        logY: false,
        yFormat: formatRate,
        tooltip: (v) => `${formatRate(v)} deliveries/s`,
      }),
      panel(CELL_W, originY, {
        ...common,
        title: "Room fan-out p99 latency (lower is better)",
        yTitle: "p99 send → receipt (log scale)",
        series: fanoutSeries(fanout, (p) => p99(p.latency.p99Ms)),
        logY: true,
        yFormat: formatMs,
        tooltip: msTip,
      }),
      legend(
        originY,
        fanoutSeries(fanout, () => 0),
      ),
    );
    rows++;
  }
  const width = 2 * CELL_W;
  const height = HEADER_H + rows * CELL_H + 10;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="18" text-anchor="middle" font-size="11" fill="#495057">${escapeXml(subtitle)}</text>`,
    ...panels,
    "</svg>",
    "",
  ].join("\n");
}
