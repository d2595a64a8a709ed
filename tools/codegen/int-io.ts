/**
 * Emitted big-endian integer reads and writes. They index the byte array directly instead of calling
 * Buffer methods: the decoder has already checked the bounds, so the per-call range checks inside
 * readUInt32BE would be paid twice.
 */
import type { OffsetExpr } from "./offset-expr.ts";

/** Expression reading an unsigned integer of `bytes` bytes from `arr` at `off`. */
export function readUint(arr: string, off: OffsetExpr, bytes: 1 | 2 | 4): string {
  const at = (i: number) => `${arr}[${off.plus(i)}]!`;
  switch (bytes) {
    case 1:
      return at(0);
    case 2:
      return `((${at(0)} << 8) | ${at(1)})`;
    case 4:
      // `* 0x1000000` instead of `<< 24` keeps the result unsigned above 2^31.
      return `(${at(0)} * 0x1000000 + ((${at(1)} << 16) | (${at(2)} << 8) | ${at(3)}))`;
  }
}

/** Statements writing `value` (already range-checked) into `arr` at `off`. */
export function writeUint(
  arr: string,
  off: OffsetExpr,
  bytes: 1 | 2 | 4,
  value: string,
  indent: string,
): string[] {
  // Uint8Array stores keep the low 8 bits, so no masking is needed.
  const shifts = bytes === 1 ? [0] : bytes === 2 ? [8, 0] : [24, 16, 8, 0];
  return shifts.map(
    (s, i) => `${indent}${arr}[${off.plus(i)}] = ${s === 0 ? value : `${value} >>> ${s}`};`,
  );
}

/** Condition that is true when `value` does not fit an unsigned integer of `bytes` bytes. */
export function outOfRange(value: string, bytes: 1 | 2 | 4): string {
  // One comparison also rejects non-integers, negatives, NaN and non-numbers.
  switch (bytes) {
    case 1:
      return `(${value} & 0xff) !== ${value}`;
    case 2:
      return `(${value} & 0xffff) !== ${value}`;
    case 4:
      return `${value} >>> 0 !== ${value}`;
  }
}
