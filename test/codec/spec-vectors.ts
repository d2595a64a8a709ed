/**
 * Loads spec/vectors/*.json, the byte vectors every Parrot implementation must agree on. Kept apart
 * from the tests so each suite (vectors, splitter, differential) reads them the same way.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ErrorCodeName, Pdu } from "../../generated/index.ts";

export interface ValidVector {
  name: string;
  doc: string;
  bytes: Buffer;
  pdu: Pdu;
}

export interface InvalidVector {
  name: string;
  doc: string;
  bytes: Buffer;
  error: ErrorCodeName;
  kaitai: "rejects" | "accepts";
}

const VECTORS_DIR = fileURLToPath(new URL("../../spec/vectors/", import.meta.url));

function load<T>(file: string): (T & { hex: string })[] {
  const parsed = JSON.parse(readFileSync(VECTORS_DIR + file, "utf8")) as {
    vectors: (T & { hex: string })[];
  };
  return parsed.vectors;
}

/** Whitespace in a vector's hex only groups fields for the reader. */
export function hexBytes(hex: string): Buffer {
  return Buffer.from(hex.replace(/\s+/g, ""), "hex");
}

export function validVectors(): ValidVector[] {
  return load<Omit<ValidVector, "bytes">>("valid.json").map((v) => ({
    name: v.name,
    doc: v.doc,
    pdu: v.pdu,
    bytes: hexBytes(v.hex),
  }));
}

export function invalidVectors(): InvalidVector[] {
  return load<Omit<InvalidVector, "bytes">>("invalid.json").map((v) => ({
    name: v.name,
    doc: v.doc,
    error: v.error,
    kaitai: v.kaitai,
    bytes: hexBytes(v.hex),
  }));
}
