/**
 * Name lists as ROOM_LIST and WHO_LIST carry them: sorted in ascending order of the names' UTF-8
 * bytes (spec §12.2), one page of at most limits.maxListEntries from an offset, with the total.
 */
import { LIMITS } from "../generated/index.ts";

/**
 * Byte order of the UTF-8 encodings, which is code point order. JavaScript's `<` compares UTF-16
 * code units, which puts U+E000..U+FFFF after the astral planes; comparing code points does not.
 */
export function compareNames(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const left = a.codePointAt(index)!;
    const right = b.codePointAt(index)!;
    if (left !== right) return left - right;
    // A surrogate pair is one code point; both strings agree on it, so skip its second half.
    if (left > 0xffff) index++;
  }
  return a.length - b.length;
}

export function sortNames(names: Iterable<string>): string[] {
  return [...names].sort(compareNames);
}

export interface NamePage {
  /** How many names the whole list has. */
  total: number;
  /** The names from `offset`, at most `max` of them. */
  names: string[];
}

export function pageOf(
  sorted: readonly string[],
  offset: number,
  max: number = LIMITS.maxListEntries,
): NamePage {
  return { total: sorted.length, names: sorted.slice(offset, offset + max) };
}
