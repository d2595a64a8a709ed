/**
 * memoryStreamPair: two ends of an in-process ByteStream, no socket involved. It keeps the whole
 * ByteStream contract (ordered bytes, reading paused and resumed, back-pressure through
 * `writableNeedDrain` and drain, half-close, one close per end), so anything written on
 * ByteStream runs over it unchanged: tests drive a server engine byte by byte with it (like ws's
 * receiver tests), and a program can embed a server and talk to it without a port
 * (`server.handle(pair.server)`).
 *
 * Bytes cross on a later turn of the event loop (setImmediate), as they would over a socket, so
 * no listener runs inside the writer's call.
 */
import type { ByteStream, StreamCloseInfo } from "./byte-stream.ts";
import { ByteStreamEvents } from "./byte-stream-events.ts";
import { addListener, emit0, emit1 } from "./listener-slot.ts";

/** Bytes queued for a reader before its writer is told to wait for drain. */
export const MEMORY_STREAM_HIGH_WATER_BYTES = 64 * 1024;

export interface MemoryStreamPair {
  client: ByteStream;
  server: ByteStream;
}

export function memoryStreamPair(names = { client: "memory:client", server: "memory:server" }) {
  const client = new MemoryStream(names.server);
  const server = new MemoryStream(names.client);
  client.peer = server;
  server.peer = client;
  return { client, server } satisfies MemoryStreamPair;
}

class MemoryStream extends ByteStreamEvents implements ByteStream {
  readonly remoteAddress: string;
  peer!: MemoryStream;
  // What the peer wrote and we have not delivered yet, oldest first.
  private inbound: Uint8Array[] = [];
  private inboundBytes = 0;
  private peerEnded = false;
  private endDelivered = false;
  private readingPaused = false;
  private flushScheduled = false;
  private ended = false;
  private writerWaitsForDrain = false;
  // Closed for writing and reading at once; `closed` turns true when the close listeners run.
  private shut = false;
  private isClosed = false;

  constructor(remoteAddress: string) {
    super();
    this.remoteAddress = remoteAddress;
  }

  get writableNeedDrain(): boolean {
    return this.peer.inboundBytes >= MEMORY_STREAM_HIGH_WATER_BYTES;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  write(bytes: Uint8Array): boolean {
    if (this.shut || this.ended) return false;
    // A copy: the writer may reuse its buffer, as it may with a socket.
    this.peer.receive(bytes.slice());
    const accepted = !this.writableNeedDrain;
    if (!accepted) this.peer.writerWaitsForDrain = true;
    return accepted;
  }

  end(): void {
    if (this.shut || this.ended) return;
    this.ended = true;
    this.peer.peerEnded = true;
    this.peer.scheduleFlush();
    this.closeIfDone();
  }

  destroy(): void {
    if (this.shut) return;
    this.close({ hadError: false });
    this.peer.close({ hadError: true, error: new Error("connection reset by peer") });
  }

  pauseReading(): void {
    this.readingPaused = true;
  }

  resumeReading(): void {
    this.readingPaused = false;
    this.scheduleFlush();
  }

  onData(listener: (chunk: Uint8Array) => void): void {
    this.dataListeners = addListener(this.dataListeners, listener);
    this.scheduleFlush();
  }

  private receive(bytes: Uint8Array): void {
    this.inbound.push(bytes);
    this.inboundBytes += bytes.length;
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.shut) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (!this.shut && !this.readingPaused && this.dataListeners !== undefined) {
      const chunk = this.inbound.shift();
      if (chunk === undefined) break;
      this.inboundBytes -= chunk.length;
      emit1(this.dataListeners, chunk);
    }
    if (this.writerWaitsForDrain && this.inboundBytes < MEMORY_STREAM_HIGH_WATER_BYTES) {
      this.writerWaitsForDrain = false;
      if (!this.peer.shut) emit0(this.peer.drainListeners);
    }
    // The end comes after every byte before it, as a FIN does.
    if (this.peerEnded && !this.endDelivered && this.inbound.length === 0 && !this.shut) {
      this.endDelivered = true;
      emit0(this.endListeners);
      this.closeIfDone();
    }
  }

  // Closed once both directions are done: we ended ours and the peer's end was delivered.
  private closeIfDone(): void {
    const peer = this.peer;
    if (this.ended && this.endDelivered && peer.ended && peer.endDelivered) {
      this.close({ hadError: false });
      peer.close({ hadError: false });
    }
  }

  private close(info: StreamCloseInfo): void {
    if (this.shut) return;
    this.shut = true;
    this.inbound = [];
    this.inboundBytes = 0;
    setImmediate(() => {
      this.isClosed = true;
      emit1(this.closeListeners, info);
    });
  }
}
