/**
 * Preloaded into the Parrot server process by the session-scale bench (`node --import tsx --import
 * ./bench/memory-probe.ts --expose-gc cli/parrot.ts server ...`) so the bench can read the V8 heap of a server
 * whose code it must not change. /proc gives RSS but cannot see inside the V8 heap; this answers a
 * `{probe: "memory"}` message on the IPC channel with process.memoryUsage(), after a full GC when the
 * process runs with --expose-gc so the figure is live objects, not garbage that happens not to be collected.
 *
 * It also watches the event loop (perf_hooks, 50 ms resolution: 20 wakeups/s, too few to show in the CPU
 * figures) and reports the longest stall since the previous probe. A server whose loop stalls past the
 * ping slack reaps clients whose PINGs sit unread in its socket buffers; this tells that apart from a client
 * that really went quiet.
 *
 * Without an IPC channel (the server started any other way) it does nothing.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { writeHeapSnapshot } from "node:v8";

export interface MemoryProbeReply {
  probe: "memory";
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** Longest event-loop stall since the previous probe, ms. */
  eventLoopDelayMaxMs: number;
}

export interface MemoryProbeRequest {
  probe: "memory";
  /** Collect garbage first (default true); false just reads the figures, with no stall of our making. */
  gc?: boolean;
  /** Also write a V8 heap snapshot to this file (bench/heap-diff.ts compares two of them). */
  snapshotPath?: string;
}

function isMemoryRequest(message: unknown): message is MemoryProbeRequest {
  return (
    typeof message === "object" &&
    message !== null &&
    "probe" in message &&
    message.probe === "memory"
  );
}

if (process.send !== undefined) {
  const loopDelay = monitorEventLoopDelay({ resolution: 50 });
  loopDelay.enable();
  process.on("message", (message: unknown) => {
    if (!isMemoryRequest(message)) return;
    const eventLoopDelayMaxMs = loopDelay.max / 1e6;
    // The GC below is a stall of our own making: keep it out of the next reading.
    loopDelay.disable();
    const collect = (globalThis as { gc?: () => void }).gc;
    if (message.gc !== false) {
      // Two passes: the first can only queue weak callbacks and finalizers that the second then frees.
      collect?.();
      collect?.();
    }
    // Writing a snapshot collects garbage and can take seconds at 10 000 sessions; only on request.
    if (message.snapshotPath !== undefined) writeHeapSnapshot(message.snapshotPath);
    const usage = process.memoryUsage();
    const reply: MemoryProbeReply = { probe: "memory", ...usage, eventLoopDelayMaxMs };
    process.send?.(reply);
    loopDelay.reset();
    loopDelay.enable();
  });
  // The probe must never be the reason the server stays up after it was told to shut down.
  process.channel?.unref();
}
