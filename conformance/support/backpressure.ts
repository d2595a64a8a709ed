/**
 * Making the server's socket back up: a client writes megabytes of requests without reading the
 * answers, so the server's writes fill the kernel's buffers and then queue in the server. A server that
 * reorders or drops what it writes while its socket is full passes every scenario that reads as it goes.
 *
 * The client does not sleep to let this happen: it waits until the server has taken all it wrote (the
 * socket drained), or until the server stops taking it (it applies backpressure of its own), then reads.
 */
import { performance } from "node:perf_hooks";
import type { ClientSession } from "./client-session.ts";

/** Enough to overflow loopback buffers on both sides (kernel defaults are a few MB at most). */
export const BACKPRESSURE_BYTES = 8 * 1024 * 1024;

/** A text of `bytes` bytes that names its message, so a swapped or lost one shows in a failure. */
export function numberedText(index: number, bytes: number): string {
  const label = `message ${index} `;
  const twoByte = Math.floor((bytes - label.length) / 4);
  return `${label}${"·".repeat(twoByte)}${"x".repeat(bytes - label.length - 2 * twoByte)}`;
}

/**
 * Waits until every byte written on `sessions` has left for the server, or until none has left for
 * `stallMs` (the server stopped reading: its own backpressure), bounded by `timeoutMs`.
 */
export async function untilWritesSettle(
  sessions: readonly ClientSession[],
  stallMs: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  const unsent = () => sessions.reduce((sum, s) => sum + s.peer.unsentBytes, 0);
  let last = unsent();
  let lastChange = performance.now();
  while (last > 0 && performance.now() < deadline && performance.now() - lastChange < stallMs) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const now = unsent();
    if (now !== last) lastChange = performance.now();
    last = now;
  }
}
