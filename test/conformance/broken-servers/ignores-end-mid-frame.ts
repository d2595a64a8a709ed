/**
 * Broken on purpose: the end of the stream is acted on only between frames. A client that stops in
 * the middle of a frame is left to the timers, which close it later with PING_TIMEOUT (REQ-2.8: the
 * close is due at once). The listener seam wraps each accepted stream; everything else is the
 * reference.
 */

import { defaultListeners } from "../../../server/parrot-server.ts";
import type { ByteStream } from "../../../transport/byte-stream.ts";
import type { Listener } from "../../../transport/listener.ts";
import { startVariant } from "./start-variant.ts";

/** Follows frame boundaries from the 8-byte headers alone (REQ-2.4), as a receiver must. */
class FrameBoundaries {
  private header: number[] = [];
  private payloadLeft = 0;

  feed(chunk: Uint8Array): void {
    for (let i = 0; i < chunk.length; ) {
      if (this.payloadLeft > 0) {
        const taken = Math.min(this.payloadLeft, chunk.length - i);
        this.payloadLeft -= taken;
        i += taken;
        continue;
      }
      this.header.push(chunk[i]!);
      i++;
      if (this.header.length === 8) {
        const [a, b, c, d] = this.header.slice(4);
        this.payloadLeft = ((a! << 24) | (b! << 16) | (c! << 8) | d!) >>> 0;
        this.header = [];
      }
    }
  }

  get midFrame(): boolean {
    return this.header.length > 0 || this.payloadLeft > 0;
  }
}

function ignoringEndMidFrame(stream: ByteStream): ByteStream {
  const boundaries = new FrameBoundaries();
  stream.onData((chunk) => boundaries.feed(chunk));
  return new Proxy(stream, {
    get(target, property, receiver) {
      if (property === "onEnd") {
        return (listener: () => void) =>
          target.onEnd(() => {
            if (!boundaries.midFrame) listener();
          });
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

function wrapped(listener: Listener): Listener {
  return new Proxy(listener, {
    get(target, property, receiver) {
      if (property === "onConnection") {
        return (handle: (stream: ByteStream) => void) =>
          target.onConnection((stream) => handle(ignoringEndMidFrame(stream)));
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

await startVariant("ignores-end-mid-frame", (options) => ({
  listeners: defaultListeners(options).map((open) => async (server) => wrapped(await open(server))),
}));
