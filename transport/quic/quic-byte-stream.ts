/**
 * QuicByteStream: the one bidirectional QUIC stream of a Parrot connection (REQ-14.2) as a
 * ByteStream. @matrixai/quic streams are WHATWG streams: reading is a loop of `read()` that stops
 * while reading is paused (QUIC flow control then holds the peer back), and the peer's FIN is the
 * end of the readable side. Writes resolve once quiche has taken the bytes; the bytes not yet
 * taken count against a high-water mark, as a socket's buffer does.
 *
 * The stream owns its QUIC connection: once the stream is closed (both directions finished, or
 * one reset) the connection is closed with `closeConnection` (REQ-14.4), and a connection that
 * ends first (idle timeout, the peer's CONNECTION_CLOSE) closes the stream with an error.
 */
import type { QUICStream } from "@matrixai/quic";
import type { ByteStream, StreamCloseInfo } from "../byte-stream.ts";
import { ByteStreamEvents } from "../byte-stream-events.ts";
import { addListener, emit0, emit1 } from "../listener-slot.ts";
import { QUIC_APP_ERROR } from "./quic-settings.ts";

/** Bytes written but not yet taken by quiche above which `write` returns false. */
const HIGH_WATER_MARK = 64 * 1024;

/** Closes the QUIC connection under the stream with an application error code. */
export type CloseConnection = (appErrorCode: number) => void;

export class QuicByteStream extends ByteStreamEvents implements ByteStream {
  readonly remoteAddress: string;
  private reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  private writer: WritableStreamDefaultWriter<Uint8Array> | undefined;
  private stream: QUICStream | undefined;
  private readonly closeConnection: CloseConnection;
  private readingPaused = false;
  private reading = false;
  private readDone = false;
  /** A chunk read just as reading was paused, delivered first on resume. */
  private heldChunk: Uint8Array | undefined;
  /** Writes of this task, sent as one at the end of it (see `write`). */
  private queued: Uint8Array[] | undefined;
  private unsentBytes = 0;
  private needDrain = false;
  private ended = false;
  private isClosed = false;
  private lastError: Error | undefined;

  /**
   * `stream` may come later (`attach`): a server hands the connection to its session as soon as
   * the QUIC handshake is done, so that the handshake timeout runs from the connect (REQ-7.11),
   * not from the client's first byte (a client-opened stream reaches the server only with its
   * first STREAM frame). Until then writes wait, and reading starts on attach.
   */
  constructor(
    stream: QUICStream | undefined,
    remoteAddress: string,
    closeConnection: CloseConnection,
  ) {
    super();
    this.remoteAddress = remoteAddress;
    this.closeConnection = closeConnection;
    if (stream !== undefined) this.attach(stream);
  }

  /** The Parrot stream has arrived: what was written goes out, reading starts. */
  attach(stream: QUICStream): void {
    if (this.stream !== undefined || this.isClosed) return;
    this.stream = stream;
    this.reader = stream.readable.getReader();
    this.writer = stream.writable.getWriter();
    // A rejected write is reported through the close listeners, like a socket error.
    this.writer.closed.catch((error: unknown) => this.noteError(error));
    stream.closedP.then(
      () => this.finish(),
      (error: unknown) => {
        this.noteError(error);
        this.finish();
      },
    );
    this.sendQueued();
    if (this.ended) this.writer.close().catch((error: unknown) => this.noteError(error));
    this.pump();
  }

  /** Whether the Parrot stream has arrived. */
  get hasStream(): boolean {
    return this.stream !== undefined;
  }

  get writableNeedDrain(): boolean {
    return this.needDrain;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /**
   * Every write of one task goes to quiche as one, once the task's synchronous work is done: each
   * write costs @matrixai/quic a stream_send, a run of its send loop and a UDP packet, in promise
   * callbacks that keep the event loop from timers and input until they are done. A PduChannel
   * writes one frame at a time, so a burst (a session's 20 echoes, 100 sessions' CHATs written in
   * one loop) was that many packets: over half a second of blocked event loop on two loaded cores,
   * longer than the slack between a 1 s ping interval and a 1.5 s ping timeout. Order is kept,
   * and nothing waits for a later task, so no latency is added.
   */
  write(bytes: Uint8Array): boolean {
    if (this.ended || this.isClosed) return false;
    this.unsentBytes += bytes.byteLength;
    if (this.queued === undefined) {
      this.queued = [bytes];
      queueMicrotask(() => this.sendQueued());
    } else {
      this.queued.push(bytes);
    }
    if (this.unsentBytes >= HIGH_WATER_MARK) this.needDrain = true;
    return !this.needDrain;
  }

  private sendQueued(): void {
    // Before the stream arrives, writes wait for it (attach sends them).
    if (this.writer === undefined) return;
    const chunks = this.queued;
    this.queued = undefined;
    if (chunks === undefined || this.isClosed) return;
    const bytes = chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks);
    this.writer.write(bytes).then(
      () => {
        this.unsentBytes -= bytes.byteLength;
        if (this.needDrain && this.unsentBytes < HIGH_WATER_MARK) {
          this.needDrain = false;
          emit0(this.drainListeners);
        }
      },
      (error: unknown) => this.noteError(error),
    );
  }

  end(): void {
    if (this.ended || this.isClosed) return;
    this.ended = true;
    // What this task wrote goes before the FIN.
    this.sendQueued();
    // close() waits for the writes before it, then sends FIN; without a stream yet, attach does.
    this.writer?.close().catch((error: unknown) => this.noteError(error));
  }

  destroy(): void {
    if (this.isClosed) return;
    this.lastError ??= new Error("stream destroyed");
    // Closing the connection resets the stream with it; nothing unsent goes out.
    this.closeConnection(QUIC_APP_ERROR.ABORTED);
    this.finish();
  }

  pauseReading(): void {
    this.readingPaused = true;
  }

  resumeReading(): void {
    this.readingPaused = false;
    this.pump();
  }

  onData(listener: (chunk: Uint8Array) => void): void {
    this.dataListeners = addListener(this.dataListeners, listener);
    this.pump();
  }

  /** Reads while there is a listener and reading is not paused; one read loop at a time. */
  private async pump(): Promise<void> {
    const reader = this.reader;
    if (this.reading || this.dataListeners === undefined || reader === undefined) return;
    this.reading = true;
    try {
      while (!this.readingPaused && !this.readDone && !this.isClosed) {
        if (this.heldChunk !== undefined) {
          const chunk = this.heldChunk;
          this.heldChunk = undefined;
          emit1(this.dataListeners, chunk);
          continue;
        }
        const result = await reader.read();
        if (result.done) {
          this.readDone = true;
          emit0(this.endListeners);
        } else if (this.readingPaused) {
          this.heldChunk = result.value;
        } else {
          emit1(this.dataListeners, result.value);
        }
      }
    } catch (error) {
      this.noteError(error);
      this.readDone = true;
      this.finish();
    } finally {
      this.reading = false;
    }
  }

  private noteError(error: unknown): void {
    this.lastError ??= error instanceof Error ? error : new Error(String(error));
  }

  /** Called by the connection's owner when the QUIC connection ended under the stream. */
  connectionClosed(error: Error | undefined): void {
    if (error !== undefined) this.noteError(error);
    else if (this.stream === undefined || !this.stream.closed) {
      this.noteError(new Error("QUIC connection closed"));
    }
    this.finish();
  }

  private finish(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.closeConnection(
      this.lastError === undefined ? QUIC_APP_ERROR.NO_ERROR : QUIC_APP_ERROR.ABORTED,
    );
    const info: StreamCloseInfo = { hadError: this.lastError !== undefined };
    if (this.lastError !== undefined) info.error = this.lastError;
    emit1(this.closeListeners, info);
  }
}
