/**
 * Writing UTF-8 strings into a frame, for the generated encoders, without Buffer's `write` wrapper
 * (its argument handling costs more than a short string's bytes).
 *
 * `test/codec/utf8-fast-path.test.ts` holds it against the plain `Buffer.write` path.
 */
import type { Buffer } from "node:buffer";

/** Up to this many ASCII bytes a string is written byte by byte, with no native call. */
const TINY_STRING_BYTES = 16;

/** Buffer methods Node.js defines on Buffer.prototype, without write()'s argument handling. */
interface RawWrites {
  latin1Write(s: string, offset: number, length: number): number;
  utf8Write(s: string, offset: number, length: number): number;
}

/**
 * Writes s, whose UTF-8 length is bytes (Buffer.byteLength, a V8 fast API call: measured cheaper
 * than a JS scan for ASCII), at buf[offset]. UTF-8 is never shorter than s.length UTF-16 units and
 * equal only when every unit is ASCII, so bytes === s.length means ASCII: up to TINY_STRING_BYTES a
 * JS byte loop, longer ones latin1Write (latin1 and UTF-8 agree below 0x80); anything else utf8Write.
 */
export function writeUtf8(buf: Buffer, s: string, offset: number, bytes: number): void {
  if (bytes === s.length) {
    if (bytes <= TINY_STRING_BYTES) {
      for (let i = 0; i < bytes; i++) buf[offset + i] = s.charCodeAt(i);
    } else {
      (buf as unknown as RawWrites).latin1Write(s, offset, bytes);
    }
  } else {
    (buf as unknown as RawWrites).utf8Write(s, offset, bytes);
  }
}
