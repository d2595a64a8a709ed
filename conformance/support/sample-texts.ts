/**
 * Chat texts that exercise the string rules of spec/README.md §3.3: byte limits counted in bytes, any
 * Unicode carried byte for byte (never normalised), U+0000 a character like any other.
 */
import { MAX_STRING_BYTES } from "../../generated/index.ts";

const MAX = MAX_STRING_BYTES.CHAT.text;

const TEXTS: Record<string, string> = {
  empty: "",
  ASCII: "hello, parrot",
  "surrounding whitespace": " \t padded on both sides \u00a0\u3000 ",
  emoji: "🦜 hi 👋🏽 🇫🇷 👨‍👩‍👧",
  CJK: "鹦鹉学舌 オウムがえし 앵무새",
  "combining marks": "e\u0301 a\u0308 n\u0303 Z\u0324\u0354\u0367\u0311\u0313",
  "right-to-left and zero-width": "\u05e9\u05dc\u05d5\u05dd \u200b\u200d\u202e!",
  "control characters and NUL": "a\u0000b\r\nc\t\u001b[0m\u007f",
  "maximum-length ASCII": "a".repeat(MAX),
  "maximum-length emoji": "🦜".repeat(MAX / 4),
  "maximum-length mixed-width": `${"é".repeat((MAX - 4) / 2)}🦜`,
  "one byte over the maximum": "a".repeat(MAX + 1),
  "one emoji over the maximum": "🦜".repeat(MAX / 4 + 1),
};

/** The names of the sample texts, as scenarios write them ("the maximum-length emoji text"). */
export const SAMPLE_TEXT_KINDS: readonly string[] = Object.keys(TEXTS);

export function sampleText(kind: string): string {
  const text = TEXTS[kind];
  if (text === undefined) {
    throw new Error(
      `scenario bug: no sample text "${kind}" (known: ${Object.keys(TEXTS).join(", ")})`,
    );
  }
  return text;
}
