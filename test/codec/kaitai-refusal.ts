/**
 * Which error code the Kaitai parser's refusal of a frame stands for, so vector tests compare codes
 * (and therefore the order of checks, §8.2), not only "both refused". A Kaitai validation error
 * maps to the `-parrot-error` of the ksy node that failed (MALFORMED_PAYLOAD without one); running
 * out of bytes is MALFORMED_PAYLOAD.
 *
 * The Kaitai 0.11 JavaScript runtime drops the ksy path the generated parser passes to a validation
 * error, so it is read back from the throwing line of generated/kaitai/ParrotPdu.js named by the
 * error's stack.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseDocument } from "yaml";
import type { ErrorCodeName } from "../../generated/index.ts";
import { kaitaiParse } from "../../generated/kaitai-parser.ts";
import { upperSnake } from "../../tools/codegen/naming.ts";
import { KSY_PATH } from "./spec-codec-model.ts";

const PARSER_PATH = fileURLToPath(new URL("../../generated/kaitai/ParrotPdu.js", import.meta.url));
const parserLines = readFileSync(PARSER_PATH, "utf8").split("\n");
const ksy = parseDocument(readFileSync(KSY_PATH, "utf8"));

/** The ksy path ("/types/header/seq/3") the failed check was compiled from. */
function ksyPathOf(error: Error): string {
  const frame = /ParrotPdu\.js:(\d+):\d+/.exec(error.stack ?? "");
  if (frame === null) throw new Error(`no ParrotPdu.js frame in the stack of ${error.name}`);
  const line = parserLines[Number(frame[1]) - 1] ?? "";
  const path = /"(\/types\/[^"]+)"/.exec(line);
  if (path === null) throw new Error(`no ksy path on ParrotPdu.js:${frame[1]}: ${line.trim()}`);
  return path[1]!;
}

/** The code Kaitai's refusal of `frame` stands for, or undefined when Kaitai accepts it. */
export function kaitaiRefusal(frame: Uint8Array): ErrorCodeName | undefined {
  try {
    kaitaiParse(frame);
    return undefined;
  } catch (e) {
    if (!(e instanceof Error)) throw e;
    if (e.name === "EOFError") return "MALFORMED_PAYLOAD";
    if (!e.name.startsWith("Validation")) throw e;
    const segments = ksyPathOf(e)
      .split("/")
      .slice(1)
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    const code = ksy.getIn([...segments, "-parrot-error"]);
    return (typeof code === "string" ? upperSnake(code) : "MALFORMED_PAYLOAD") as ErrorCodeName;
  }
}
