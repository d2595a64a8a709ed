/**
 * SocketByteStream: adapts a node:net Socket (and therefore a node:tls TLSSocket, which extends
 * it) to the ByteStream interface. tcp.ts and tls.ts both hand these out, for accepted and for
 * dialed connections alike.
 */
import type { Socket } from "node:net";
import { formatAddress } from "./address.ts";
import type { ByteStream, StreamCloseInfo } from "./byte-stream.ts";
import { ByteStreamEvents } from "./byte-stream-events.ts";
import { addListener, emit0, emit1 } from "./listener-slot.ts";

/** The socket must have been created with `allowHalfOpen: true` (see the ByteStream contract). */
export class SocketByteStream extends ByteStreamEvents implements ByteStream {
  readonly remoteAddress: string;
  private readonly socket: Socket;
  // One listener each in practice (the PduChannel); see listener-slot.ts.
  private lastError: Error | undefined;
  private readingPaused = false;
  private isClosed = false;

  constructor(socket: Socket) {
    super();
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
      emit0(this.drainListeners);
    });
    socket.on("end", () => {
      emit0(this.endListeners);
    });
    socket.on("close", (hadError) => {
      this.isClosed = true;
      const info: StreamCloseInfo = { hadError: hadError || this.lastError !== undefined };
      if (this.lastError !== undefined) info.error = this.lastError;
      emit1(this.closeListeners, info);
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
    if (this.dataListeners !== undefined) this.socket.resume();
  }

  onData(listener: (chunk: Uint8Array) => void): void {
    const first = this.dataListeners === undefined;
    this.dataListeners = addListener(this.dataListeners, listener);
    if (first) {
      this.socket.on("data", (chunk: Buffer) => emit1(this.dataListeners, chunk));
      // Attaching a data listener switches the socket to flowing mode; honour an earlier pause.
      if (this.readingPaused) this.socket.pause();
    }
  }
}
