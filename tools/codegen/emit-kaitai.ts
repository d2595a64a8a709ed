/**
 * Runs the Kaitai Struct compiler on pdu.ksy. Its JavaScript parser is committed next to our codec as
 * an independent reading of the same spec: the tests hold our decoder to agree with it.
 */
import { createRequire } from "node:module";
import { banner } from "./emitted-file.ts";

interface KaitaiCompiler {
  compile(
    lang: string,
    ksy: unknown,
    importer: unknown,
    debug: boolean,
  ): Promise<Record<string, string>> | Record<string, string>;
}

/**
 * Returns generated/kaitai/ files by name: the parser, its package.json, and kaitai-parser.ts, which
 * re-exports the typed loader.
 */
export async function emitKaitai(ksy: unknown): Promise<Map<string, string>> {
  const require = createRequire(import.meta.url);
  const compiler = require("kaitai-struct-compiler") as KaitaiCompiler;
  const compiled = await compiler.compile("javascript", ksy, null, false);
  const names = Object.keys(compiled);
  if (names.length !== 1 || names[0] !== "ParrotPdu.js") {
    throw new Error(`kaitai-struct-compiler produced ${names.join(", ")}; expected ParrotPdu.js`);
  }
  const out = new Map<string, string>();
  out.set("kaitai/ParrotPdu.js", banner(["spec/pdu.ksy"]) + compiled["ParrotPdu.js"]!);
  // Our package is ESM; the Kaitai runtime and this parser are CommonJS (UMD).
  out.set("kaitai/package.json", `${JSON.stringify({ type: "commonjs" }, null, 2)}\n`);
  out.set("kaitai-parser.ts", KAITAI_LOADER);
  return out;
}

// The loader itself is hand-written (codec/kaitai-parser.ts); this path is where tests and bench/
// have always imported it from.
const KAITAI_LOADER = `${banner(["spec/pdu.ksy"])}
export * from "../codec/kaitai-parser.ts";
`;
