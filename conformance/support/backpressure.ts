/**
 * Making the server's socket back up: a client writes megabytes of requests without reading the
 * answers, so the server's writes fill the kernel's buffers and then queue in the server. A server that
 * reorders or drops what it writes while its socket is full passes every scenario that reads as it goes.
 *
 * The client does not sleep to let this happen: it waits until the server has taken all it wrote (the
 * socket drained), or until the server stops taking it (it applies backpressure of its own), then reads.
 */
import { performance } from "node:perf_hooks";
import { encode } from "../../generated/index.ts";
import type { ClientSession } from "./client-session.ts";
import type { ParrotWorld } from "./world.ts";

/** The barrier's token, far from the keep-alive's and the scenarios' own. */
export const BARRIER = 0xbac0_0001;

/** Enough to overflow loopback buffers on both sides (kernel defaults are a few MB at most). */
export const BACKPRESSURE_BYTES = 8 * 1024 * 1024;

/** The full texts every backpressure scenario writes, and how many of them make BACKPRESSURE_BYTES. */
export const TEXT_BYTES = 4096;
export const FRAME_COUNT = Math.ceil(BACKPRESSURE_BYTES / TEXT_BYTES);

const encoded = new Map<string, Buffer>();

/**
 * `count` CHATs (or, with `room`, ROOM_SAYs) of full numbered texts, message ids 0 up, as one
 * buffer for one write. Encoded once per run: 8 MB of encoding inside a scenario would stall the
 * suite's own keep-alives, and a late PING can make a correct server time a session out.
 */
export function numberedRequests(
  headerVersion: number,
  room?: string,
  count = FRAME_COUNT,
): Buffer {
  const key = `${headerVersion}/${room ?? ""}/${count}`;
  let bytes = encoded.get(key);
  if (bytes === undefined) {
    const frames = Array.from({ length: count }, (_, i) => {
      const text = numberedText(i, TEXT_BYTES);
      return room === undefined
        ? encode({ type: "CHAT", version: headerVersion, messageId: i, text })
        : encode({ type: "ROOM_SAY", version: headerVersion, messageId: i, room, text });
    });
    bytes = Buffer.concat(frames);
    encoded.set(key, bytes);
  }
  return bytes;
}

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

/**
 * Pauses `readers`, writes `frames` from `writer` (and, with `barrier`, a PING behind them: its PONG is
 * ordered after their replies on the writer's own connection), waits for the writes to settle, does
 * `beforeReading` (what others do while the sockets are full), and reads on.
 */
export async function writeWhileNotReading(
  world: ParrotWorld,
  writer: ClientSession,
  readers: readonly ClientSession[],
  bytes: Uint8Array,
  what: string,
  how: { barrier: boolean; beforeReading?: () => Promise<void> },
): Promise<void> {
  // A version 2 session that reads nothing is kept alive with frames that get no answer (REQ-12.41);
  // a version 1 one has none, and its echoes hold it unread until it reads again (§7.1).
  for (const reader of readers) reader.keepAliveUnanswered();
  for (const reader of readers) reader.peer.pauseReading();
  writer.peer.sendRaw(bytes, what);
  if (how.barrier)
    writer.peer.send({ type: "PING", version: writer.headerVersion, token: BARRIER });
  // Not reading for a ping timeout would let a correct server time the sessions out (§7.1: a client
  // that does not read its answers is timed out like a silent one), so the suite reads again well
  // within it, whether or not its writes have settled by then; the sockets are full long before.
  const { replyTimeoutMs } = world.parameters;
  const pingTimeoutMs = writer.advertised?.pingTimeoutMs ?? replyTimeoutMs;
  const patience = Math.min(replyTimeoutMs, pingTimeoutMs / (how.beforeReading ? 4 : 2));
  await untilWritesSettle(
    [writer, ...readers],
    Math.min(replyTimeoutMs / 10, patience / 2),
    patience,
  );
  try {
    await how.beforeReading?.();
  } finally {
    for (const reader of readers) reader.peer.resumeReading();
    for (const reader of readers) reader.keepAlive();
  }
}

/** The PONG of the barrier PING must be next. */
export async function expectBarrier(session: ClientSession): Promise<void> {
  const pong = await session.expectPdu("PONG", `the PONG of the barrier PING, token ${BARRIER}`);
  if (pong.token !== BARRIER) session.fail(`PONG carried token ${pong.token}; expected ${BARRIER}`);
}
