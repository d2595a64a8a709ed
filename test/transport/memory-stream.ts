/**
 * Two ends of an in-memory ByteStream (transport/byte-stream.ts), for unit tests of what runs on
 * top of one (PduChannel, ClientSession) without a socket: bytes written on one end arrive on the
 * other in order, a turn of the event loop later, as they would from a socket; reading can be
 * paused; `end()` is a half-close the peer sees after every byte; the stream closes once both
 * directions have ended, or at once on `destroy()` (the peer then sees a reset).
 *
 * Like ws's receiver tests feed buffers, a test can drive a session exactly, and with a fake clock
 * (test/client/fake-clock.ts) its timers too, without a network or a sleep.
 */
import type { ByteStream, StreamCloseInfo } from "../../transport/byte-stream.ts";

export interface MemoryStreamPair {
  client: MemoryByteStream;
  server: MemoryByteStream;
}

export function memoryStreamPair(): MemoryStreamPair {
  const client = new MemoryByteStream("client:1");
  const server = new MemoryByteStream("server:2");
  client.peer = server;
  server.peer = client;
  return { client, server };
}

/** Resolves after every delivery already scheduled on either end has run. */
export function deliveriesSettled(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class MemoryByteStream implements ByteStream {
  peer!: MemoryByteStream;
  readonly writableNeedDrain = false;
  private readonly inbox: Uint8Array[] = [];
  private peerEnded = false;
  private endDelivered = false;
  private weEnded = false;
  private isClosed = false;
  private paused = false;
  private readonly dataListeners: ((chunk: Uint8Array) => void)[] = [];
  private readonly endListeners: (() => void)[] = [];
  private readonly closeListeners: ((info: StreamCloseInfo) => void)[] = [];

  constructor(readonly remoteAddress: string) {}

  get closed(): boolean {
    return this.isClosed;
  }

  write(bytes: Uint8Array): boolean {
    if (this.weEnded || this.isClosed) return false;
    const copy = Uint8Array.from(bytes);
    setImmediate(() => this.peer.arrive(copy));
    return true;
  }

  end(): void {
    if (this.weEnded || this.isClosed) return;
    this.weEnded = true;
    setImmediate(() => this.peer.arriveEnd());
    this.closeIfDone();
  }

  destroy(): void {
    if (this.isClosed) return;
    this.close({ hadError: false });
    setImmediate(() => this.peer.close({ hadError: true, error: new Error("connection reset") }));
  }

  pauseReading(): void {
    this.paused = true;
  }

  resumeReading(): void {
    this.paused = false;
    this.flush();
  }

  onData(listener: (chunk: Uint8Array) => void): void {
    this.dataListeners.push(listener);
    this.flush();
  }

  onDrain(_listener: () => void): void {
    // Never above a high-water mark: writes are handed over whole.
  }

  onEnd(listener: () => void): void {
    this.endListeners.push(listener);
  }

  onClose(listener: (info: StreamCloseInfo) => void): void {
    this.closeListeners.push(listener);
  }

  private arrive(chunk: Uint8Array): void {
    if (this.isClosed) return;
    this.inbox.push(chunk);
    this.flush();
  }

  private arriveEnd(): void {
    if (this.isClosed) return;
    this.peerEnded = true;
    this.flush();
  }

  private flush(): void {
    while (!this.paused && this.dataListeners.length > 0 && this.inbox.length > 0) {
      const chunk = this.inbox.shift()!;
      for (const listener of this.dataListeners) listener(chunk);
    }
    if (this.peerEnded && !this.endDelivered && this.inbox.length === 0) {
      this.endDelivered = true;
      for (const listener of this.endListeners) listener();
      this.closeIfDone();
    }
  }

  private closeIfDone(): void {
    if (this.weEnded && this.endDelivered) this.close({ hadError: false });
  }

  private close(info: StreamCloseInfo): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const listener of this.closeListeners) listener(info);
  }
}
