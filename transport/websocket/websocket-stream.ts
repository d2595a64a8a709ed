/**
 * WebSocketByteStream: adapts a `ws` WebSocket to the ByteStream interface (byte-stream.ts), as
 * spec §2.3 binds Parrot to WebSocket. Each write goes out as one binary message (REQ-2.11, the
 * PduChannel writes one frame at a time), a longer one than a frame as several; the payloads of incoming binary messages are the byte
 * stream, whatever their split (REQ-2.12). A text message closes with 1003 (REQ-2.13).
 *
 * WebSocket has no half-close; the mapping is the one byte-stream.ts describes: the peer's close
 * frame is the end of its bytes (end listeners, then close listeners), writes after it are
 * refused, `end()` sends our close frame (1000) after what was written, `destroy()` drops the
 * TCP connection.
 */
import type { RawData, WebSocket } from "ws";
import type { ByteStream, StreamCloseInfo } from "../byte-stream.ts";
import { ByteStreamEvents } from "../byte-stream-events.ts";
import { addListener, emit0, emit1 } from "../listener-slot.ts";

/** The subprotocol of the binding (REQ-2.10). */
export const PARROT_SUBPROTOCOL = "parrot.v1";
export const CLOSE_NORMAL = 1000;
export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_UNSUPPORTED_DATA = 1003;

/** The largest message either side accepts (REQ-2.15): eight maximum frames. */
export const MAX_MESSAGE_BYTES = 8 * (8 + 8192);

/**
 * The largest message every receiver must accept (REQ-2.15): one maximum frame. A write longer
 * than that (several frames at once, as a load generator or the conformance suite writes them)
 * goes out as messages of at most this size, so no conforming server may refuse it with 1009.
 */
export const LARGEST_REQUIRED_MESSAGE_BYTES = 8 + 8192;

// Like a net.Socket's default highWaterMark: above this many unsent bytes, write() says "wait".
const HIGH_WATER_BYTES = 16 * 1024;

export class WebSocketByteStream extends ByteStreamEvents implements ByteStream {
  readonly remoteAddress: string;
  private readonly socket: WebSocket;
  // Messages that arrived while nobody reads: the socket is paused, so at most what one TCP
  // chunk held. Delivered in order once reading resumes.
  private held: Uint8Array[] = [];
  private readingPaused = false;
  private unsentBytes = 0;
  private needDrain = false;
  private weClosed = false;
  private isClosed = false;
  private lastError: Error | undefined;
  // Set when the WebSocket has closed but held bytes have not yet been delivered.
  private closing: StreamCloseInfo | undefined;

  /** `socket` must be open; `remoteAddress` is "host:port" of the peer. */
  constructor(socket: WebSocket, remoteAddress: string) {
    super();
    this.socket = socket;
    this.remoteAddress = remoteAddress;
    // No bytes are read before a data listener exists (ByteStream contract).
    socket.pause();
    socket.on("message", (data: RawData, isBinary: boolean) => {
      if (!isBinary) {
        this.weClosed = true;
        socket.close(CLOSE_UNSUPPORTED_DATA, "Parrot is carried in binary messages only");
        return;
      }
      this.deliver(asBytes(data));
    });
    socket.on("error", (error) => {
      this.lastError = error;
    });
    socket.on("close", (code: number) => {
      const clean = code === CLOSE_NORMAL || code === CLOSE_GOING_AWAY;
      const info: StreamCloseInfo = { hadError: !clean || this.lastError !== undefined };
      if (this.lastError !== undefined) info.error = this.lastError;
      this.closing = info;
      // Bytes the peer sent before its close frame still come first (as a TCP FIN would).
      if (this.held.length === 0) this.finishClose();
    });
  }

  get writableNeedDrain(): boolean {
    return this.needDrain;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  write(bytes: Uint8Array): boolean {
    if (this.socket.readyState !== this.socket.OPEN) return false;
    this.unsentBytes += bytes.length;
    for (let start = 0; start < bytes.length; start += LARGEST_REQUIRED_MESSAGE_BYTES) {
      const message = bytes.subarray(start, start + LARGEST_REQUIRED_MESSAGE_BYTES);
      this.socket.send(message, { binary: true }, () => this.sent(message.length));
    }
    if (this.unsentBytes > HIGH_WATER_BYTES) this.needDrain = true;
    return !this.needDrain;
  }

  end(): void {
    if (this.weClosed || this.isClosed) return;
    this.weClosed = true;
    if (this.closing !== undefined) {
      this.dropHeldAndClose();
      return;
    }
    // ws queues the close frame behind every message already sent.
    this.socket.close(CLOSE_NORMAL);
  }

  destroy(): void {
    this.weClosed = true;
    if (this.closing !== undefined) {
      this.dropHeldAndClose();
      return;
    }
    this.socket.terminate();
  }

  pauseReading(): void {
    this.readingPaused = true;
    this.socket.pause();
  }

  resumeReading(): void {
    this.readingPaused = false;
    if (this.dataListeners === undefined) return;
    this.flushHeld();
    if (!this.readingPaused) this.socket.resume();
  }

  onData(listener: (chunk: Uint8Array) => void): void {
    const first = this.dataListeners === undefined;
    this.dataListeners = addListener(this.dataListeners, listener);
    if (first && !this.readingPaused) this.resumeReading();
  }

  private deliver(bytes: Uint8Array): void {
    if (this.dataListeners === undefined || this.readingPaused || this.held.length > 0) {
      this.held.push(bytes);
      return;
    }
    emit1(this.dataListeners, bytes);
  }

  private flushHeld(): void {
    while (this.held.length > 0 && !this.readingPaused && !this.isClosed) {
      const bytes = this.held.shift() as Uint8Array;
      emit1(this.dataListeners, bytes);
    }
    if (this.held.length === 0 && this.closing !== undefined) this.finishClose();
  }

  // The WebSocket is already closed and we will not read what it held: close listeners now.
  private dropHeldAndClose(): void {
    this.held = [];
    this.finishClose();
  }

  private finishClose(): void {
    if (this.isClosed || this.closing === undefined) return;
    this.isClosed = true;
    this.held = [];
    // The peer's close frame ended its bytes; when we closed first, nobody waits for an end.
    if (!this.weClosed) emit0(this.endListeners);
    emit1(this.closeListeners, this.closing);
  }

  private sent(length: number): void {
    this.unsentBytes -= length;
    if (this.needDrain && this.unsentBytes <= HIGH_WATER_BYTES / 2) {
      this.needDrain = false;
      emit0(this.drainListeners);
    }
  }
}

/** With the default binaryType ("nodebuffer") a message is one Buffer; fragments may be a list. */
function asBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}
