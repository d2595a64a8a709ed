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

/** Returns generated/kaitai/ files by name: the parser, its package.json and a typed loader. */
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

const KAITAI_LOADER = `${banner(["spec/pdu.ksy"])}
// Loads the Kaitai compiler's own parser (generated/kaitai/ParrotPdu.js, CommonJS) with the loose
// types tests and benchmarks need. Fields are camelCase as Kaitai names them; length and count
// fields are present; enum fields are numbers.
import { createRequire } from "node:module";

export interface KaitaiStreamInstance {
  readonly size: number;
  isEof(): boolean;
}

export interface KaitaiStreamClass {
  new (bytes: Uint8Array | ArrayBuffer, offset?: number): KaitaiStreamInstance;
}

export interface KaitaiParsedPdu {
  header: { magic: number; version: number; messageType: number; payloadLength: number };
  body: Record<string, unknown> | Uint8Array;
}

export interface KaitaiParserClass {
  new (io: KaitaiStreamInstance): KaitaiParsedPdu;
}

const require = createRequire(import.meta.url);

export const KaitaiStream = require("kaitai-struct/KaitaiStream") as KaitaiStreamClass;

export const ParrotPdu = (require("./kaitai/ParrotPdu.js") as { ParrotPdu: KaitaiParserClass })
  .ParrotPdu;

/** Parses one frame with the Kaitai parser; throws whatever Kaitai throws on a bad frame. */
export function kaitaiParse(frame: Uint8Array): KaitaiParsedPdu {
  return new ParrotPdu(new KaitaiStream(frame));
}
`;
