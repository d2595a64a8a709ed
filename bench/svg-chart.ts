/**
 * bench/results/echo.svg: round trips/s and p99 latency against concurrency C for each echo target, side by
 * side, so a person sees at a glance where Parrot sits between the Node.js ceiling and mosquitto. Plain SVG
 * written by hand: two panels, log-scale C, no chart library.
 */
import type { EchoPoint, EchoResult } from "./echo-bench.ts";
import type { EchoTargetName } from "./echo-session.ts";

const COLORS: Record<EchoTargetName, string> = {
  parrot: "#d9480f",
  raw: "#1c7ed6",
  mosquitto: "#2f9e44",
};
const LABELS: Record<EchoTargetName, string> = {
  parrot: "Parrot server",
  raw: "raw node:net echo",
  mosquitto: "mosquitto QoS 0",
};

const PANEL_W = 420;
const PANEL_H = 300;
const MARGIN = { left: 75, right: 45, top: 70, bottom: 50 };
/** Value labels closer than this (px) at one C are pushed apart so they stay readable. */
const LABEL_SPACING = 13;
const WIDTH = 2 * (PANEL_W + MARGIN.left + MARGIN.right);
const HEIGHT = PANEL_H + MARGIN.top + MARGIN.bottom + 40;

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

function logAxis(
  min: number,
  max: number,
  pixels: number,
  format: (v: number) => string,
  inverted: boolean,
): Axis {
  const lo = 10 ** Math.floor(Math.log10(min));
  const hi = 10 ** Math.ceil(Math.log10(max));
  const span = Math.log10(hi) - Math.log10(lo) || 1;
  const ticks = [];
  for (let v = lo; v <= hi * 1.0001; v *= 10) ticks.push({ value: v, label: format(v) });
  const fraction = (v: number) => (Math.log10(v) - Math.log10(lo)) / span;
  return {
    toPixel: (v) => (inverted ? pixels - fraction(v) * pixels : fraction(v) * pixels),
    ticks,
  };
}

function formatRate(v: number): string {
  if (v >= 1e6) return `${+(v / 1e6).toFixed(1)}M`;
  if (v >= 1e3) return `${+(v / 1e3).toFixed(1)}k`;
  return String(+v.toFixed(0));
}

function formatMs(v: number): string {
  return v >= 1 ? `${+v.toFixed(0)} ms` : `${+v.toPrecision(1)} ms`;
}

function panel(
  originX: number,
  title: string,
  yTitle: string,
  points: EchoPoint[],
  concurrency: number[],
  value: (p: EchoPoint) => number,
  yAxis: Axis,
  label: (v: number) => string,
): string {
  const xAxis = logAxis(Math.min(...concurrency), Math.max(...concurrency), PANEL_W, String, false);
  const x = (c: number) => originX + xAxis.toPixel(c);
  const y = (v: number) => MARGIN.top + yAxis.toPixel(v);
  const parts: string[] = [];
  parts.push(
    `<text x="${originX + PANEL_W / 2}" y="${MARGIN.top - 14}" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
  );
  for (const tick of yAxis.ticks) {
    const ty = y(tick.value);
    parts.push(
      `<line x1="${originX}" x2="${originX + PANEL_W}" y1="${ty}" y2="${ty}" stroke="#e9ecef"/>`,
      `<text x="${originX - 8}" y="${ty + 4}" text-anchor="end" font-size="11" fill="#495057">${escapeXml(tick.label)}</text>`,
    );
  }
  for (const c of concurrency) {
    parts.push(
      `<line x1="${x(c)}" x2="${x(c)}" y1="${MARGIN.top}" y2="${MARGIN.top + PANEL_H}" stroke="#e9ecef"/>`,
      `<text x="${x(c)}" y="${MARGIN.top + PANEL_H + 18}" text-anchor="middle" font-size="11" fill="#495057">C=${c}</text>`,
    );
  }
  parts.push(
    `<rect x="${originX}" y="${MARGIN.top}" width="${PANEL_W}" height="${PANEL_H}" fill="none" stroke="#adb5bd"/>`,
    `<text x="${originX + PANEL_W / 2}" y="${MARGIN.top + PANEL_H + 38}" text-anchor="middle" font-size="12">concurrent sessions (log scale)</text>`,
    `<text transform="translate(${originX - 55},${MARGIN.top + PANEL_H / 2}) rotate(-90)" text-anchor="middle" font-size="12">${escapeXml(yTitle)}</text>`,
  );
  const labels: { c: number; y: number; text: string; color: string }[] = [];
  for (const target of Object.keys(COLORS) as EchoTargetName[]) {
    const series = points
      .filter((p) => p.target === target)
      .sort((a, b) => a.sessions - b.sessions);
    if (series.length === 0) continue;
    const coords = series.map((p) => `${x(p.sessions).toFixed(1)},${y(value(p)).toFixed(1)}`);
    parts.push(
      `<polyline points="${coords.join(" ")}" fill="none" stroke="${COLORS[target]}" stroke-width="2.5"/>`,
    );
    for (const p of series) {
      parts.push(
        `<circle cx="${x(p.sessions).toFixed(1)}" cy="${y(value(p)).toFixed(1)}" r="4" fill="${COLORS[target]}"><title>${escapeXml(`${LABELS[target]}, C=${p.sessions}: ${label(value(p))}`)}</title></circle>`,
      );
      labels.push({
        c: p.sessions,
        y: y(value(p)) - 6,
        text: label(value(p)),
        color: COLORS[target],
      });
    }
  }
  const lastC = Math.max(...concurrency);
  for (const c of concurrency) {
    const atC = labels.filter((l) => l.c === c).sort((a, b) => a.y - b.y);
    for (let i = 1; i < atC.length; i++) {
      atC[i]!.y = Math.max(atC[i]!.y, atC[i - 1]!.y + LABEL_SPACING);
    }
    // The rightmost labels go left of their point so they stay inside the picture.
    const [dx, anchor] = c === lastC ? [-8, "end"] : [8, "start"];
    for (const l of atC) {
      parts.push(
        `<text x="${(x(c) + dx).toFixed(1)}" y="${l.y.toFixed(1)}" text-anchor="${anchor}" font-size="10" fill="${l.color}" stroke="white" stroke-width="3" paint-order="stroke">${escapeXml(l.text)}</text>`,
      );
    }
  }
  return parts.join("\n");
}

export function renderEchoChart(echo: EchoResult, subtitle: string): string {
  const points = echo.points.filter((p) => p.roundTripsPerSec > 0);
  const concurrency = echo.concurrency;
  const maxRate = Math.max(1, ...points.map((p) => p.roundTripsPerSec));
  const p99s = points.map((p) => Math.max(p.latency.p99Ms, 0.001));
  const rateAxis = linearAxis(maxRate, PANEL_H, formatRate);
  const latencyAxis = logAxis(
    Math.min(...p99s, 0.1),
    Math.max(...p99s, 1),
    PANEL_H,
    formatMs,
    true,
  );
  const leftX = MARGIN.left;
  const rightX = PANEL_W + MARGIN.left + MARGIN.right + MARGIN.left;
  const legendY = HEIGHT - 14;
  const legend = (Object.keys(COLORS) as EchoTargetName[]).map((target, i) => {
    const lx = MARGIN.left + i * 230;
    const note = echo.skipped[target] ?? (echo.failed[target] ? "failed" : "");
    return (
      `<rect x="${lx}" y="${legendY - 10}" width="14" height="4" fill="${COLORS[target]}"/>` +
      `<text x="${lx + 20}" y="${legendY - 5}" font-size="12">${escapeXml(LABELS[target] + (note ? ` (${note.split(":")[0]})` : ""))}</text>`
    );
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="18" text-anchor="middle" font-size="11" fill="#495057">${escapeXml(subtitle)}</text>`,
    panel(
      leftX,
      "Throughput (higher is better)",
      "round trips / s",
      points,
      concurrency,
      (p) => p.roundTripsPerSec,
      rateAxis,
      formatRate,
    ),
    panel(
      rightX,
      "p99 latency (lower is better)",
      "p99 round trip (log scale)",
      points,
      concurrency,
      (p) => Math.max(p.latency.p99Ms, 0.001),
      latencyAxis,
      (v) => `${v.toFixed(v < 1 ? 3 : 1)} ms`,
    ),
    ...legend,
    "</svg>",
    "",
  ].join("\n");
}
