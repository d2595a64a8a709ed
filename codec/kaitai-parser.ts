/**
 * Loads the Kaitai compiler's own parser of pdu.ksy (generated/kaitai/ParrotPdu.js, CommonJS) with
 * the loose types tests and benchmarks need. Not part of the codec: it is the independent reading
 * of the same spec that test/codec and bench/ hold the generated codec against. Fields are camelCase
 * as Kaitai names them; length and count fields are present; enum fields are numbers.
 */
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

export const ParrotPdu = (
  require("../generated/kaitai/ParrotPdu.js") as { ParrotPdu: KaitaiParserClass }
).ParrotPdu;

/** Parses one frame with the Kaitai parser; throws whatever Kaitai throws on a bad frame. */
export function kaitaiParse(frame: Uint8Array): KaitaiParsedPdu {
  return new ParrotPdu(new KaitaiStream(frame));
}
