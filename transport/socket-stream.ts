/**
 * SocketByteStream: adapts a node:net Socket (and therefore a node:tls TLSSocket, which extends
 * it) to the ByteStream interface. tcp.ts and tls.ts both hand these out, for accepted and for
 * dialed connections alike.
 */
import type { Socket } from "node:net";
import { formatAddress } from "./address.ts";
import type { ByteStream, StreamCloseInfo } from "./byte-stream.ts";

/** The socket must have been created with `allowHalfOpen: true` (see the ByteStream contract). */
export class SocketByteStream implements ByteStream {
  readonly remoteAddress: string;
  private readonly socket: Socket;
  private readonly dataListeners: ((chunk: Uint8Array) => void)[] = [];
  private readonly drainListeners: (() => void)[] = [];
  private readonly endListeners: (() => void)[] = [];
  private readonly closeListeners: ((info: StreamCloseInfo) => void)[] = [];
  private lastError: Error | undefined;
  private readingPaused = false;
  private isClosed = false;

  constructor(socket: Socket) {
    this.socket = socket;
    this.remoteAddress = formatAddress(socket.remoteAddress, socket.remotePort);
    // Chat PDUs are small and latency matters more than packet count.
    socket.setNoDelay(true);
    // Without an error listener an ECONNRESET would be an uncaught exception; the error is
    // reported through the close listeners instead.
    socket.on("error", (error) => {
      this.lastError = error;
    });
    socket.on("drain", () => {
      for (const listener of this.drainListeners) listener();
    });
    socket.on("end", () => {
      for (const listener of this.endListeners) listener();
    });
    socket.on("close", (hadError) => {
      this.isClosed = true;
      const info: StreamCloseInfo = { hadError: hadError || this.lastError !== undefined };
      if (this.lastError !== undefined) info.error = this.lastError;
      for (const listener of this.closeListeners) listener(info);
    });
  }

  get writableNeedDrain(): boolean {
    return this.socket.writableNeedDrain;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  write(bytes: Uint8Array): boolean {
    if (this.socket.destroyed || this.socket.writableEnded) return false;
    return this.socket.write(bytes);
  }

  end(): void {
    if (!this.socket.writableEnded) this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }

  pauseReading(): void {
    this.readingPaused = true;
    this.socket.pause();
  }

  resumeReading(): void {
    this.readingPaused = false;
    // Resuming without a data listener would let bytes flow into nowhere.
    if (this.dataListeners.length > 0) this.socket.resume();
  }

  onData(listener: (chunk: Uint8Array) => void): void {
    this.dataListeners.push(listener);
    if (this.dataListeners.length === 1) {
      this.socket.on("data", (chunk: Buffer) => {
        for (const each of this.dataListeners) each(chunk);
      });
      // Attaching a data listener switches the socket to flowing mode; honour an earlier pause.
      if (this.readingPaused) this.socket.pause();
    }
  }

  onDrain(listener: () => void): void {
    this.drainListeners.push(listener);
  }

  onEnd(listener: () => void): void {
    this.endListeners.push(listener);
  }

  onClose(listener: (info: StreamCloseInfo) => void): void {
    this.closeListeners.push(listener);
  }
}
