/**
 * Framing of a byte stream. Hand-written: it depends only on the fixed header (frame-header.ts), and
 * it sits in the codec because it must refuse a stream exactly as decode() refuses a frame, with the
 * same error values.
 */
import { Buffer } from "node:buffer";
import { HEADER_LENGTH, MAX_PAYLOAD_LENGTH } from "../generated/constants.ts";
import type { DecodeError } from "./codec-errors.ts";
import { badMagic, isBadMagic, readHeader, tooLarge } from "./frame-header.ts";

/**
 * Turns a byte stream, chunked any way the transport likes, into whole frames for decode().
 *
 * It refuses a stream as early as the bytes allow: BAD_MAGIC as soon as two bytes are there,
 * FRAME_TOO_LARGE as soon as a header declares more than MAX_PAYLOAD_LENGTH, before any of the
 * payload is buffered. It never holds more than one frame (header + declared payload). A frame that
 * lies whole inside one chunk is returned as a view of that chunk, without copying.
 *
 * After it has thrown it is dead: the stream cannot be framed any more, and every later push throws
 * the same error.
 */
export class FrameSplitter {
  /** Header bytes of the next frame while fewer than HEADER_LENGTH have arrived. */
  private readonly head = Buffer.alloc(HEADER_LENGTH);
  private headFill = 0;
  /** The frame being assembled once its header is known, sized exactly header + payload. */
  private frame: Buffer | null = null;
  private frameFill = 0;
  private failure: DecodeError | null = null;

  /** Bytes held for a frame that has not completed yet. */
  get bufferedBytes(): number {
    return this.frame === null ? this.headFill : this.frameFill;
  }

  /** Feeds a chunk; returns the frames it completed, in order. */
  push(chunk: Uint8Array): Buffer[] {
    const frames: Buffer[] = [];
    this.pushEach(chunk, (frame) => frames.push(frame));
    return frames;
  }

  /**
   * Feeds a chunk and calls `onFrame` for each frame as it completes. Unlike push(), the frames
   * that precede a fault in the same chunk are delivered before the DecodeError is thrown.
   */
  pushEach(chunk: Uint8Array, onFrame: (frame: Buffer) => void): void {
    if (this.failure !== null) throw this.failure;
    const bytes = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const end = bytes.length;
    let pos = 0;
    while (pos < end) {
      const frame = this.frame;
      if (frame !== null) {
        const take = Math.min(frame.length - this.frameFill, end - pos);
        bytes.copy(frame, this.frameFill, pos, pos + take);
        this.frameFill += take;
        pos += take;
        if (this.frameFill === frame.length) {
          this.frame = null;
          this.frameFill = 0;
          onFrame(frame);
        }
        continue;
      }
      if (this.headFill === 0 && end - pos >= HEADER_LENGTH) {
        // The whole header is in this chunk: check it in place.
        if (isBadMagic(bytes, pos)) throw this.fail(badMagic(bytes, pos));
        const header = readHeader(bytes, pos);
        if (header.payloadLength > MAX_PAYLOAD_LENGTH) throw this.fail(tooLarge(header));
        const size = HEADER_LENGTH + header.payloadLength;
        if (end - pos >= size) {
          const whole = bytes.subarray(pos, pos + size);
          pos += size;
          onFrame(whole);
        } else {
          this.frame = Buffer.allocUnsafe(size);
          bytes.copy(this.frame, 0, pos, end);
          this.frameFill = end - pos;
          pos = end;
        }
        continue;
      }
      // The header straddles chunks: collect it in `head`, checking the magic on its own first.
      const before = this.headFill;
      const take = Math.min(HEADER_LENGTH - before, end - pos);
      bytes.copy(this.head, before, pos, pos + take);
      this.headFill += take;
      pos += take;
      if (before < 2 && this.headFill >= 2 && isBadMagic(this.head, 0)) {
        throw this.fail(badMagic(this.head, 0));
      }
      if (this.headFill < HEADER_LENGTH) continue;
      const header = readHeader(this.head, 0);
      if (header.payloadLength > MAX_PAYLOAD_LENGTH) throw this.fail(tooLarge(header));
      this.headFill = 0;
      const next = Buffer.allocUnsafe(HEADER_LENGTH + header.payloadLength);
      this.head.copy(next, 0);
      if (header.payloadLength === 0) {
        onFrame(next);
      } else {
        this.frame = next;
        this.frameFill = HEADER_LENGTH;
      }
    }
  }

  private fail(error: DecodeError): DecodeError {
    this.failure = error;
    return error;
  }
}
