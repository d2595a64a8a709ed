/**
 * PduChannel: whole, decoded PDUs over a ByteStream, for the server and the client alike.
 *
 * Receiving: bytes go through the generated FrameSplitter and `decode`. Listeners get, strictly
 * in the order the peer sent them:
 * - `onPdu(pdu)` for each frame that decoded;
 * - `onDecodeError(error, fatal)` for each frame that did not. `fatal: false` means the frame was
 *   whole and later frames are still delivered (the owner decides, e.g. from the spec's error
 *   table, whether to close anyway); `fatal: true` means the byte stream itself cannot be framed
 *   any more (bad magic, a declared length over the maximum), nothing more will be delivered,
 *   and the owner should report it and close;
 * - `onEnd(info)` once the peer has finished sending (after every frame it sent). If the owner
 *   has not closed the channel by the time its end listeners return, the channel closes itself
 *   gracefully, so replies already sent still reach the peer, unless `ownerClosesAtEnd` says the
 *   owner will (the server frees the login first, so the FIN comes after, REQ-9.1).
 *
 * Flow control:
 * - `pause()` / `resume()`: the owner holds delivery, e.g. while an async password check runs;
 *   frames that arrive meanwhile are delivered after `resume()`, in order, and the socket stops
 *   being read so a flooding peer fills its own buffers, not ours.
 * - With `pauseReadingWhileBlocked` (the server sets it), a `send()` that hits the stream's
 *   high-water mark also holds delivery until the stream drains: a peer that never reads its
 *   echoes cannot make us buffer without bound. `sendUnasked()` (fan-out) never holds it. Only one side of a connection may do this, or
 *   both would stop reading and deadlock; clients leave it off.
 *
 * Sending: `send(pdu)` encodes with the generated `encode` (which throws EncodeError for a PDU
 * over the spec's limits) and returns false when the stream wants a drain. `sendFrame(bytes)`
 * writes an already encoded frame (test peers use it with encodeUnchecked / encodeHeader).
 *
 * Faults: an exception thrown by a listener, or by the decoder other than a DecodeError, goes to
 * `onFault` listeners (the server answers INTERNAL_ERROR and closes only this connection).
 *
 * Closing: `close()` stops delivery, flushes queued writes, sends FIN and waits for the peer to
 * close, destroying the stream if that takes longer than `closeTimeoutMs`. Bytes arriving while
 * closing are read and dropped, so the peer's FIN is seen and the kernel has no reason to RST.
 * `onClose(info)` runs exactly once, however the stream ended.
 */
import { DecodeError, decode, encode, FrameSplitter, type Pdu } from "../generated/index.ts";
import type { ByteStream, StreamCloseInfo } from "./byte-stream.ts";
import { addListener, emit0, emit1, emit2, type ListenerSlot } from "./listener-slot.ts";

export interface PduChannelOptions {
  /** Hold delivery (and reading) while our writes to the peer are backed up. Default false. */
  pauseReadingWhileBlocked?: boolean;
  /** How long `close()` waits for the flush and the peer's FIN before destroying. Default 2 s. */
  closeTimeoutMs?: number;
  /** The owner closes the channel itself once the peer has ended, maybe later. Default false. */
  ownerClosesAtEnd?: boolean;
}

export interface PeerEndInfo {
  /** Bytes of an unfinished frame the peer left behind (0 when it ended on a frame boundary). */
  partialFrameBytes: number;
}

export const DEFAULT_CLOSE_TIMEOUT_MS = 2000;

export class PduChannel {
  readonly stream: ByteStream;
  /** Resolves once the underlying stream has closed. */
  readonly closedPromise: Promise<StreamCloseInfo>;

  private readonly splitter = new FrameSplitter();
  private readonly pauseReadingWhileBlocked: boolean;
  private readonly closeTimeoutMs: number;
  private readonly ownerClosesAtEnd: boolean;
  // One listener each in practice (the session); see listener-slot.ts.
  private pduListeners: ListenerSlot<(pdu: Pdu) => void>;
  private decodeErrorListeners: ListenerSlot<(error: DecodeError, fatal: boolean) => void>;
  private endListeners: ListenerSlot<(info: PeerEndInfo) => void>;
  private drainListeners: ListenerSlot<() => void>;
  private closeListeners: ListenerSlot<(info: StreamCloseInfo) => void>;
  private faultListeners: ListenerSlot<(error: unknown) => void>;

  // Frames received but not yet delivered, oldest first, from index `head`.
  private pending: Uint8Array[] = [];
  private head = 0;
  private framingError: DecodeError | undefined;
  private framingErrorDelivered = false;
  private peerEnded = false;
  private peerEndDelivered = false;

  private pausedByOwner = false;
  private blockedByWrites = false;
  private readingPaused = false;
  private delivering = false;
  private closing = false;
  private isClosed = false;
  private closeTimer: NodeJS.Timeout | undefined;

  constructor(stream: ByteStream, options: PduChannelOptions = {}) {
    this.stream = stream;
    this.pauseReadingWhileBlocked = options.pauseReadingWhileBlocked ?? false;
    this.closeTimeoutMs = options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
    this.ownerClosesAtEnd = options.ownerClosesAtEnd ?? false;
    this.closedPromise = new Promise((resolve) => {
      stream.onClose((info) => {
        this.isClosed = true;
        if (this.closeTimer !== undefined) clearTimeout(this.closeTimer);
        this.pending = [];
        this.head = 0;
        resolve(info);
        emit1(this.closeListeners, info);
      });
    });
    stream.onData((chunk) => this.contain(() => this.receive(chunk)));
    stream.onEnd(() =>
      this.contain(() => {
        this.peerEnded = true;
        this.deliver();
      }),
    );
    stream.onDrain(() =>
      this.contain(() => {
        emit0(this.drainListeners);
        if (this.blockedByWrites) {
          this.blockedByWrites = false;
          this.updateReading();
          this.deliver();
        }
      }),
    );
  }

  /**
   * Anything thrown while receiving (a listener's bug, or a decoder bug that is not a
   * DecodeError) goes to the fault listeners, so the owner can end this one connection instead
   * of the exception escaping into the event loop. Without fault listeners it is rethrown.
   */
  onFault(listener: (error: unknown) => void): void {
    this.faultListeners = addListener(this.faultListeners, listener);
  }

  get remoteAddress(): string {
    return this.stream.remoteAddress;
  }

  /** True once `close()` or `destroy()` was called or the stream closed. */
  get isClosing(): boolean {
    return this.closing || this.isClosed;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  get writableNeedDrain(): boolean {
    return this.stream.writableNeedDrain;
  }

  onPdu(listener: (pdu: Pdu) => void): void {
    this.pduListeners = addListener(this.pduListeners, listener);
  }

  onDecodeError(listener: (error: DecodeError, fatal: boolean) => void): void {
    this.decodeErrorListeners = addListener(this.decodeErrorListeners, listener);
  }

  onEnd(listener: (info: PeerEndInfo) => void): void {
    this.endListeners = addListener(this.endListeners, listener);
  }

  onDrain(listener: () => void): void {
    this.drainListeners = addListener(this.drainListeners, listener);
  }

  onClose(listener: (info: StreamCloseInfo) => void): void {
    this.closeListeners = addListener(this.closeListeners, listener);
  }

  /** Encodes and writes one PDU. False: dropped (closing) or the stream wants a drain. */
  send(pdu: Pdu): boolean {
    if (this.isClosing) return false;
    return this.write(encode(pdu));
  }

  /** Writes an already encoded frame as is. For test peers crafting invalid input. */
  sendFrame(frame: Uint8Array): boolean {
    if (this.isClosing) return false;
    return this.write(frame);
  }

  /**
   * Writes a frame the peer did not ask for (the server's fan-out). A backlog of these never holds
   * the peer's frames unread, even with `pauseReadingWhileBlocked`: their owner bounds them itself,
   * and a peer that keeps sending must go on being read (spec REQ-12.41). Only answers hold reading.
   */
  sendUnasked(frame: Uint8Array): boolean {
    if (this.isClosing) return false;
    return this.stream.write(frame);
  }

  /** Holds delivery of received PDUs until `resume()`; they stay queued in order. */
  pause(): void {
    this.pausedByOwner = true;
    this.updateReading();
  }

  resume(): void {
    this.pausedByOwner = false;
    this.updateReading();
    this.deliver();
  }

  /** Flush, FIN, wait for the peer to close (bounded by closeTimeoutMs). Idempotent. */
  close(): Promise<StreamCloseInfo> {
    if (!this.closing && !this.isClosed) {
      this.closing = true;
      this.pending = [];
      this.head = 0;
      this.updateReading();
      this.stream.end();
      this.closeTimer = setTimeout(() => this.stream.destroy(), this.closeTimeoutMs);
      // The stream's own socket keeps the process alive while it matters. (A browser's timers,
      // for the web client, are numbers without unref.)
      this.closeTimer.unref?.();
    }
    return this.closedPromise;
  }

  /** Closes at once, dropping anything unsent. */
  destroy(): void {
    this.closing = true;
    this.pending = [];
    this.head = 0;
    this.stream.destroy();
  }

  private contain(step: () => void): void {
    let next: (() => void) | undefined = step;
    while (next !== undefined) {
      const current: () => void = next;
      next = undefined;
      try {
        current();
      } catch (error) {
        if (this.faultListeners === undefined) throw error;
        emit1(this.faultListeners, error);
        // Frames queued behind the one that threw still get their turn. Each throw consumed its
        // frame (or its one-time event), so this ends.
        next = () => this.deliver();
      }
    }
  }

  private write(frame: Uint8Array): boolean {
    const accepted = this.stream.write(frame);
    if (!accepted && this.pauseReadingWhileBlocked && !this.blockedByWrites) {
      this.blockedByWrites = true;
      this.updateReading();
    }
    return accepted;
  }

  private receive(chunk: Uint8Array): void {
    if (this.isClosing || this.framingError !== undefined) return;
    try {
      // pushEach hands over the frames before a framing fault in the same chunk, so they are
      // still delivered ahead of the error.
      this.splitter.pushEach(chunk, (frame) => this.pending.push(frame));
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      this.framingError = error;
    }
    this.deliver();
  }

  private held(): boolean {
    return this.pausedByOwner || this.blockedByWrites || this.isClosing;
  }

  // Reading stops while delivery is held, except when closing: then bytes are read and dropped
  // so the peer's FIN arrives.
  private updateReading(): void {
    const shouldPause = !this.isClosing && (this.pausedByOwner || this.blockedByWrites);
    if (shouldPause === this.readingPaused) return;
    this.readingPaused = shouldPause;
    if (shouldPause) this.stream.pauseReading();
    else this.stream.resumeReading();
  }

  private deliver(): void {
    // A listener that sends, pauses or closes re-enters here; the outer loop carries on.
    if (this.delivering) return;
    this.delivering = true;
    try {
      while (!this.held() && this.head < this.pending.length) {
        const frame = this.pending[this.head]!;
        this.head += 1;
        this.deliverFrame(frame);
      }
      if (this.head >= this.pending.length && this.head > 0) {
        this.pending = [];
        this.head = 0;
      }
      if (this.held() || this.head < this.pending.length) return;
      if (this.framingError !== undefined && !this.framingErrorDelivered) {
        this.framingErrorDelivered = true;
        emit2(this.decodeErrorListeners, this.framingError, true);
        if (this.held()) return;
      }
      if (this.peerEnded && !this.peerEndDelivered) {
        this.peerEndDelivered = true;
        const info: PeerEndInfo = { partialFrameBytes: this.splitter.bufferedBytes };
        emit1(this.endListeners, info);
        if (!this.isClosing && !this.ownerClosesAtEnd) void this.close();
      }
    } finally {
      this.delivering = false;
    }
  }

  private deliverFrame(frame: Uint8Array): void {
    let pdu: Pdu;
    try {
      pdu = decode(frame);
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      emit2(this.decodeErrorListeners, error, false);
      return;
    }
    emit1(this.pduListeners, pdu);
  }
}
