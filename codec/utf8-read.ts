/**
 * Reading UTF-8 strings out of a frame, for the generated decoders. The fast paths avoid Buffer's
 * `toString` wrapper: one JS -> native crossing per string is most of a small message's cost, so
 * short strings are scanned in JS and ASCII ones read with one `latin1Slice`.
 *
 * `test/codec/utf8-fast-path.test.ts` holds these against the plain `isUtf8` + `toString` path.
 */
import { type Buffer, isUtf8 } from "node:buffer";

/**
 * Up to this many bytes the ASCII scan runs in JS (measured: about twice as fast for chat-sized
 * text). The generator writes the same number into decoders that cut short strings from one slice
 * of the whole payload.
 */
export const SHORT_STRING_BYTES = 64;

/** Buffer methods Node.js defines on Buffer.prototype, without toString()'s argument handling. */
interface RawSlices {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

/** buf[start, end) as latin1, which is its UTF-8 reading when every byte is ASCII. */
export function latin1(buf: Buffer, start: number, end: number): string {
  return (buf as unknown as RawSlices).latin1Slice(start, end);
}

/** buf[start, end) as UTF-8 (already validated). */
export function utf8(buf: Buffer, start: number, end: number): string {
  return (buf as unknown as RawSlices).utf8Slice(start, end);
}

/**
 * buf[start, end) as a string, or undefined when those bytes are not UTF-8.
 *
 * Up to SHORT_STRING_BYTES a JS scan looks for a non-ASCII byte first (cheaper than isUtf8's native
 * call plus the subarray it needs): an ASCII string is one latin1Slice, anything else isUtf8 from the
 * first non-ASCII byte on, then utf8Slice. A longer string: isUtf8 on the whole range, then utf8Slice.
 */
export function readUtf8(buf: Buffer, start: number, end: number): string | undefined {
  if (start === end) return "";
  if (end - start <= SHORT_STRING_BYTES) {
    let i = start;
    while (i < end && buf[i]! < 0x80) i++;
    if (i === end) return latin1(buf, start, end);
    if (!isUtf8(buf.subarray(i, end))) return undefined;
    return utf8(buf, start, end);
  }
  if (!isUtf8(buf.subarray(start, end))) return undefined;
  return utf8(buf, start, end);
}

/**
 * What buf[start, end) is: 1 all ASCII, 0 UTF-8 but not ASCII, -1 not UTF-8. A list's first pass
 * checks every entry with it; when all are ASCII the second pass cuts them from one latin1Slice.
 */
export function scanUtf8(buf: Buffer, start: number, end: number): number {
  let i = start;
  while (i < end && buf[i]! < 0x80) i++;
  if (i === end) return 1;
  return isUtf8(buf.subarray(i, end)) ? 0 : -1;
}
