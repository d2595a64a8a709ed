/**
 * The byte vectors of spec/vectors/, sent to the server as they are. The invalid ones are the spec's own
 * examples of each decoding error, so the suite crafts no malformed bytes of its own; the valid ones
 * give a well-formed PDU of any type, including types of later versions the suite has no sample of.
 *
 * A vector is written at one header version; a connection may need another (the header version is
 * checked after decoding, REQ-8.1). `forConnection` therefore rebuilds the header with the generated
 * encodeHeader for the connection's version, keeping the vector's type, declared length and payload.
 * Vectors whose header itself is the fault (bad magic, oversized length) are sent untouched.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  DecodeError,
  decodeHeader,
  type ErrorCodeName,
  encodeHeader,
  HEADER_LENGTH,
} from "../../generated/index.ts";

export interface InvalidVector {
  name: string;
  doc: string;
  error: ErrorCodeName;
  bytes: Uint8Array;
}

export interface ValidVector {
  name: string;
  /** The PDU's message type name, as in the vector's "pdu". */
  type: string;
  bytes: Uint8Array;
}

const FILE = fileURLToPath(new URL("../../spec/vectors/invalid.json", import.meta.url));
const VALID_FILE = fileURLToPath(new URL("../../spec/vectors/valid.json", import.meta.url));
let vectors: Map<string, InvalidVector> | undefined;

export function validVectors(): ValidVector[] {
  const file = JSON.parse(readFileSync(VALID_FILE, "utf8")) as {
    vectors: { name: string; hex: string; pdu: { type: string } }[];
  };
  return file.vectors.map((vector) => ({
    name: vector.name,
    type: vector.pdu.type,
    bytes: Buffer.from(vector.hex.replace(/\s+/g, ""), "hex"),
  }));
}

export function invalidVector(name: string): InvalidVector {
  vectors ??= new Map(
    (
      JSON.parse(readFileSync(FILE, "utf8")) as {
        vectors: { name: string; doc: string; error: ErrorCodeName; hex: string }[];
      }
    ).vectors.map((vector) => [
      vector.name,
      {
        name: vector.name,
        doc: vector.doc,
        error: vector.error,
        bytes: Buffer.from(vector.hex.replace(/\s+/g, ""), "hex"),
      },
    ]),
  );
  const vector = vectors.get(name);
  if (!vector) throw new Error(`scenario bug: spec/vectors/invalid.json has no vector "${name}"`);
  return vector;
}

/** The vector's bytes with the header version a connection in its current state must use. */
export function forConnection(vector: { bytes: Uint8Array }, headerVersion: number): Uint8Array {
  let header: ReturnType<typeof decodeHeader>;
  try {
    header = decodeHeader(vector.bytes.subarray(0, HEADER_LENGTH));
  } catch (error) {
    if (error instanceof DecodeError) return vector.bytes;
    throw error;
  }
  return Buffer.concat([
    encodeHeader({ ...header, version: headerVersion }),
    vector.bytes.subarray(HEADER_LENGTH),
  ]);
}
