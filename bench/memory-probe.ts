/**
 * Preloaded into the Parrot server process by the session-scale bench (`node --import tsx --import
 * ./bench/memory-probe.ts --expose-gc cli/parrot.ts server ...`) so the bench can read the V8 heap of a server
 * whose code it must not change. /proc gives RSS but cannot see inside the V8 heap; this answers a
 * `{probe: "memory"}` message on the IPC channel with process.memoryUsage(), after a full GC when the
 * process runs with --expose-gc so the figure is live objects, not garbage that happens not to be collected.
 *
 * Without an IPC channel (the server started any other way) it does nothing.
 */

export interface MemoryProbeReply {
  probe: "memory";
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

function isMemoryRequest(message: unknown): boolean {
  return (
    typeof message === "object" &&
    message !== null &&
    "probe" in message &&
    message.probe === "memory"
  );
}

if (process.send !== undefined) {
  process.on("message", (message: unknown) => {
    if (!isMemoryRequest(message)) return;
    const collect = (globalThis as { gc?: () => void }).gc;
    // Two passes: the first can only queue weak callbacks and finalizers that the second then frees.
    collect?.();
    collect?.();
    const usage = process.memoryUsage();
    const reply: MemoryProbeReply = { probe: "memory", ...usage };
    process.send?.(reply);
  });
  // The probe must never be the reason the server stays up after it was told to shut down.
  process.channel?.unref();
}
