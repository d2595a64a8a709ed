/**
 * pdu.ksy as the loader hands it over: the Kaitai subset Parrot uses, already checked (ksy-loader.ts).
 */

export type KsyIntType = "u1" | "u2" | "u4";

export interface KsyValid {
  eq?: number;
  min?: number;
  max?: number;
  inEnum?: boolean;
}

/** One entry of a user type's `seq`. */
export interface KsyAttr {
  id: string;
  /** "entry": a repeated user type (see `entryType`). */
  type: KsyIntType | "str" | "entry";
  /** For type "entry": the name of the user type each item is read as. */
  entryType?: string;
  enum?: string;
  valid?: KsyValid;
  /** `-parrot-error`, as the lower_snake id of an error_code entry. */
  parrotError?: string;
  /** `size:` of a str: id of an earlier integer field in the same seq. */
  size?: string;
  /** `repeat-expr:` (with `repeat: expr`): id of an earlier integer field in the same seq. */
  repeatExpr?: string;
  /** `pos:` of an instance: its byte offset in its type's stream. */
  pos?: number;
  doc?: string;
  /** YAML path, for error messages. */
  at: string;
}

export interface KsyType {
  name: string;
  doc?: string;
  seq: KsyAttr[];
  /** Positioned instances; only the header may have one (see checkHeader). */
  instances: KsyAttr[];
  at: string;
}

export interface KsyEnumEntry {
  value: number;
  id: string;
  doc?: string;
}

export interface KsyBodyCase {
  /** lower_snake id of the message_type entry the case is keyed on. */
  entry: string;
  /** name of the user type parsing the payload. */
  type: string;
}

export interface KsySpec {
  file: string;
  meta: { id: string; title?: string; application?: string; license?: string };
  doc?: string;
  /** The root seq: a header of a user type, then a body sized and switched by header fields. */
  root: {
    headerId: string;
    headerType: string;
    /** The instance of the header type the body switches on: the message type, checked. */
    knownTypeInstance: string;
    bodyId: string;
    sizeField: string;
    switchField: string;
    switchEnum: string;
    cases: KsyBodyCase[];
  };
  types: Map<string, KsyType>;
  enums: Map<string, KsyEnumEntry[]>;
  /** Line of a YAML path, for messages raised after loading (cross-checks). */
  lineOf(at: string): number | undefined;
}

export function maxOf(type: KsyIntType): number {
  return type === "u1" ? 0xff : type === "u2" ? 0xffff : 0xffffffff;
}

export function bytesOf(type: KsyIntType): 1 | 2 | 4 {
  return type === "u1" ? 1 : type === "u2" ? 2 : 4;
}
