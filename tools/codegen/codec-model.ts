/**
 * The codec as the emitters see it: what each message's fields are, which integer fields are only
 * lengths/counts (derived, so absent from the PDU objects), and which error code each check reports.
 * Built once from the loaded ksy so every emitter reads the same decisions.
 */
import {
  bytesOf,
  type KsyAttr,
  type KsyIntType,
  type KsySpec,
  type KsyType,
  maxOf,
} from "./ksy-spec.ts";
import { camelCase, pascalCase, upperSnake } from "./naming.ts";

export interface EnumEntryModel {
  value: number;
  /** UPPER_SNAKE, as used in the TypeScript API and in protocol.json. */
  name: string;
  doc?: string;
}

export interface EnumModel {
  /** ksy id, e.g. `message_type`. */
  id: string;
  /** `MessageType` (the const object); the name union is `${tsName}Name`. */
  tsName: string;
  entries: EnumEntryModel[];
}

/** What a failed check reports: an UPPER_SNAKE error_code name. */
export type ErrorName = string;

interface FieldBase {
  /** ksy id, for messages. */
  id: string;
  /** camelCase property / variable name. */
  prop: string;
  doc?: string;
}

/** An integer the PDU object carries (possibly as an enum name). */
export interface IntField extends FieldBase {
  kind: "int";
  type: KsyIntType;
  bytes: 1 | 2 | 4;
  enumModel?: EnumModel;
  eq?: number;
  min?: number;
  max?: number;
  error: ErrorName;
}

/** An integer that only says how long the next str / how many items the next array has. */
export interface LengthField extends FieldBase {
  kind: "length";
  type: KsyIntType;
  bytes: 1 | 2 | 4;
  min?: number;
  max?: number;
  error: ErrorName;
  /** prop of the field it sizes. */
  of: string;
}

export interface StrField extends FieldBase {
  kind: "str";
  lengthField: LengthField;
  /** Largest byte length allowed by the spec (the length field's valid max, else its type's max). */
  maxBytes: number;
}

export interface U1ArrayField extends FieldBase {
  kind: "u1array";
  countField: LengthField;
}

/**
 * A repeated entry type that holds one length-prefixed string (e.g. `name_entry`): a string[] in
 * the PDU, each item written as its own length then its UTF-8 bytes.
 */
export interface StrListField extends FieldBase {
  kind: "strlist";
  countField: LengthField;
  /** ksy name of the entry type, for messages. */
  entryType: string;
  /** The length prefix inside each entry (its `of` is the entry's str prop). */
  itemLength: LengthField;
  /** ksy id of the entry's str, for messages and diagrams. */
  itemId: string;
  /** Largest byte length of one item (the entry's length field valid max, else its type's max). */
  itemMaxBytes: number;
}

export type FieldModel = IntField | LengthField | StrField | U1ArrayField | StrListField;

export interface MessageModel {
  /** UPPER_SNAKE message type name, e.g. `CHAT`. */
  name: string;
  value: number;
  /** `Chat` -> ChatPdu, encodeChat, decodeChat. */
  pascal: string;
  doc?: string;
  fields: FieldModel[];
  /** Sum of the fixed-size parts of the payload (every integer field). */
  fixedBytes: number;
}

export interface CodecModel {
  title?: string;
  doc?: string;
  magic: number;
  magicError: ErrorName;
  headerLength: number;
  maxPayloadLength: number;
  payloadLengthError: ErrorName;
  messageTypeError: ErrorName;
  enums: EnumModel[];
  messageTypeEnum: EnumModel;
  errorCodeEnum: EnumModel;
  messages: MessageModel[];
  /** ksy field -> generated constant, for cross-checks with protocol.json. */
  fieldMax(typeName: string, fieldId: string): number | undefined;
}

const DEFAULT_ERROR = "MALFORMED_PAYLOAD";

export function buildCodecModel(ksy: KsySpec): CodecModel {
  const enums: EnumModel[] = [...ksy.enums.entries()].map(([id, entries]) => ({
    id,
    tsName: pascalCase(id),
    entries: entries.map((e) => ({
      value: e.value,
      name: upperSnake(e.id),
      ...(e.doc === undefined ? {} : { doc: e.doc }),
    })),
  }));
  const enumById = new Map(enums.map((e) => [e.id, e]));
  // ksy-loader guarantees error_code exists and holds malformed_payload (DEFAULT_ERROR).
  const errorCodeEnum = enumById.get("error_code")!;
  const errorOf = (a: KsyAttr): ErrorName =>
    a.parrotError === undefined ? DEFAULT_ERROR : upperSnake(a.parrotError);

  const header = ksy.types.get(ksy.root.headerType)!;
  const [magic, , , payloadLength] = header.seq as [KsyAttr, KsyAttr, KsyAttr, KsyAttr];
  // ksy-loader guarantees the header's one instance is the checked message type.
  const knownMessageType = header.instances.find((i) => i.id === ksy.root.knownTypeInstance)!;
  const headerLength = header.seq.reduce((n, f) => n + bytesOf(f.type as KsyIntType), 0);

  const messageTypeEnum = enumById.get(ksy.root.switchEnum)!;
  const messages: MessageModel[] = messageTypeEnum.entries.map((entry) => {
    const c = ksy.root.cases.find((x) => upperSnake(x.entry) === entry.name)!;
    const t = ksy.types.get(c.type)!;
    const fields = buildFields(t.seq, ksy.types, enumById, errorOf);
    const fixedBytes = fields.reduce((n, f) => n + ("bytes" in f ? f.bytes : 0), 0);
    const doc = t.doc ?? entry.doc;
    return {
      name: entry.name,
      value: entry.value,
      pascal: pascalCase(entry.name),
      ...(doc === undefined ? {} : { doc }),
      fields,
      fixedBytes,
    };
  });

  return {
    ...(ksy.meta.title === undefined ? {} : { title: ksy.meta.title }),
    ...(ksy.doc === undefined ? {} : { doc: ksy.doc }),
    magic: magic.valid!.eq!,
    magicError: errorOf(magic),
    headerLength,
    maxPayloadLength: payloadLength.valid!.max!,
    payloadLengthError: errorOf(payloadLength),
    messageTypeError: errorOf(knownMessageType),
    enums,
    messageTypeEnum,
    errorCodeEnum,
    messages,
    fieldMax(typeName, fieldId) {
      return ksy.types.get(typeName)?.seq.find((f) => f.id === fieldId)?.valid?.max;
    },
  };
}

function buildFields(
  seq: readonly KsyAttr[],
  types: ReadonlyMap<string, KsyType>,
  enumById: Map<string, EnumModel>,
  errorOf: (a: KsyAttr) => ErrorName,
): FieldModel[] {
  const lengths = new Map<string, LengthField>();
  const out: FieldModel[] = [];
  for (const a of seq) {
    const base = {
      id: a.id,
      prop: camelCase(a.id),
      ...(a.doc === undefined ? {} : { doc: a.doc }),
    };
    if (a.type === "str" || a.repeatExpr !== undefined) {
      const ref = (a.size ?? a.repeatExpr)!;
      const len = lengths.get(ref)!;
      len.of = base.prop;
      if (a.entryType !== undefined) {
        // ksy-loader guarantees the entry type is exactly [integer length, str sized by it].
        const [inner, item] = buildFields(
          types.get(a.entryType)!.seq,
          types,
          enumById,
          errorOf,
        ) as [LengthField, StrField];
        out.push({
          ...base,
          kind: "strlist",
          countField: len,
          entryType: a.entryType,
          itemLength: inner,
          itemId: item.id,
          itemMaxBytes: inner.max ?? maxOf(inner.type),
        });
      } else if (a.type === "str") {
        out.push({
          ...base,
          kind: "str",
          lengthField: len,
          maxBytes: len.max ?? maxOf(len.type),
        });
      } else {
        out.push({ ...base, kind: "u1array", countField: len });
      }
      continue;
    }
    const type = a.type as KsyIntType;
    const sizesLater = seq.some((s) => s.size === a.id || s.repeatExpr === a.id);
    const limits = {
      ...(a.valid?.min === undefined ? {} : { min: a.valid.min }),
      ...(a.valid?.max === undefined ? {} : { max: a.valid.max }),
    };
    if (sizesLater) {
      const len: LengthField = {
        ...base,
        kind: "length",
        type,
        bytes: bytesOf(type),
        ...limits,
        error: errorOf(a),
        of: "",
      };
      lengths.set(a.id, len);
      out.push(len);
      continue;
    }
    const enumModel = a.enum === undefined ? undefined : enumById.get(a.enum);
    out.push({
      ...base,
      kind: "int",
      type,
      bytes: bytesOf(type),
      ...(enumModel === undefined ? {} : { enumModel }),
      ...(a.valid?.eq === undefined ? {} : { eq: a.valid.eq }),
      ...limits,
      error: errorOf(a),
    });
  }
  return out;
}

/** Largest payload the spec's limits allow for `m`, in bytes (every string and list at its maximum). */
export function maxPayloadBytes(m: MessageModel): number {
  let n = m.fixedBytes;
  for (const f of m.fields) {
    if (f.kind === "str") n += f.maxBytes;
    if (f.kind === "u1array") n += f.countField.max ?? maxOf(f.countField.type);
    if (f.kind === "strlist") {
      n += (f.countField.max ?? maxOf(f.countField.type)) * (f.itemLength.bytes + f.itemMaxBytes);
    }
  }
  return n;
}
