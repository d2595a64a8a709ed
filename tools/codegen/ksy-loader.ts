/**
 * Reads spec/pdu.ksy and checks that it stays inside the Kaitai subset this generator understands.
 *
 * The subset is exactly what Parrot needs (see README.md in this folder). Anything else is refused
 * with the YAML path of the construct, because a silently ignored key would make the generated codec
 * disagree with the Kaitai parser and with every other implementation built from the same file.
 */
import { readFileSync } from "node:fs";
import { LineCounter, parseDocument } from "yaml";
import { SpecError } from "./spec-error.ts";

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

const IDENT = /^[a-z][a-z0-9_]*$/;
const INT_TYPES: readonly string[] = ["u1", "u2", "u4"];
const EXTENSION_PREFIX = "-parrot-";
const KNOWN_EXTENSIONS: readonly string[] = ["-parrot-error"];

type Json = unknown;

function isRecord(v: Json): v is Record<string, Json> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Parses the YAML path syntax this file uses (`types.chat.seq[1].valid`) back into segments. */
function pathSegments(at: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of at.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[1] !== undefined) out.push(m[1]);
  }
  return out;
}

function join(at: string, key: string | number): string {
  if (typeof key === "number") return `${at}[${key}]`;
  return at === "" ? key : `${at}.${key}`;
}

export function loadKsy(path: string, displayName = path): KsySpec {
  const text = readFileSync(path, "utf8");
  return parseKsy(text, displayName);
}

export function parseKsy(text: string, file: string): KsySpec {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new SpecError(file, "", `invalid YAML: ${e.message}`);
  }
  const nodeAt = (segs: (string | number)[]) =>
    // Keys such as 0x01 are numbers in the YAML document but strings in our paths; try both.
    (doc.getIn(segs, true) ??
      doc.getIn(
        segs.map((s) => (typeof s === "string" && /^\d+$/.test(s) ? Number(s) : s)),
        true,
      )) as { range?: [number, number, number] } | undefined;
  const lineOf = (at: string): number | undefined => {
    // A missing key (e.g. a required `valid`) is reported at the line of its nearest parent.
    for (let segs = pathSegments(at); ; segs = segs.slice(0, -1)) {
      const node = segs.length === 0 ? doc.contents : nodeAt(segs);
      const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
      if (range !== undefined) return lineCounter.linePos(range[0]).line;
      if (segs.length === 0) return undefined;
    }
  };
  const fail = (at: string, problem: string): never => {
    const line = lineOf(at);
    throw new SpecError(line === undefined ? file : `${file}:${line}`, at, problem);
  };
  return new KsyReader(doc.toJS() as Json, file, fail, lineOf).read();
}

class KsyReader {
  constructor(
    private readonly root: Json,
    private readonly file: string,
    private readonly fail: (at: string, problem: string) => never,
    private readonly lineOf: (at: string) => number | undefined,
  ) {}

  read(): KsySpec {
    const root = this.record(this.root, "");
    this.allowKeys(root, "", ["meta", "doc", "seq", "types", "enums"]);
    const meta = this.readMeta(root["meta"], "meta");
    const enums = this.readEnums(root["enums"], "enums");
    if (!enums.get("error_code")?.some((e) => e.id === "malformed_payload")) {
      this.fail(
        "enums",
        "enum error_code with an entry malformed_payload is required: it is what a failed `valid` reports by default",
      );
    }
    const types = this.readTypes(root["types"], "types", enums);
    for (const name of types.keys()) {
      if (enums.has(name)) {
        // The Kaitai compiler emits both as ParrotPdu.<PascalCase>; one would overwrite the other.
        this.fail(join("enums", name), `an enum cannot share its name with the type "${name}"`);
      }
    }
    const rootSeq = this.readRootSeq(root["seq"], "seq", types, enums);
    const doc = this.optString(root["doc"], "doc");
    return {
      file: this.file,
      meta,
      ...(doc === undefined ? {} : { doc }),
      root: rootSeq,
      types,
      enums,
      lineOf: this.lineOf,
    };
  }

  private record(v: Json, at: string): Record<string, Json> {
    if (!isRecord(v)) return this.fail(at, "expected a mapping");
    return v;
  }

  private string(v: Json, at: string): string {
    if (typeof v !== "string") return this.fail(at, "expected a string");
    return v;
  }

  private optString(v: Json, at: string): string | undefined {
    return v === undefined ? undefined : this.string(v, at);
  }

  private ident(v: Json, at: string): string {
    const s = this.string(v, at);
    if (!IDENT.test(s)) this.fail(at, `"${s}" is not a lower_snake identifier`);
    return s;
  }

  /** Refuses keys outside `allowed`; `doc` is always allowed, `-parrot-*` only if known. */
  private allowKeys(obj: Record<string, Json>, at: string, allowed: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (key === "doc" || allowed.includes(key)) continue;
      if (key.startsWith(EXTENSION_PREFIX) && !KNOWN_EXTENSIONS.includes(key)) {
        this.fail(
          join(at, key),
          `unknown Parrot extension (known: ${KNOWN_EXTENSIONS.join(", ")})`,
        );
      }
      this.fail(
        join(at, key),
        `"${key}" is outside the Kaitai subset the Parrot generator supports (allowed here: ${["doc", ...allowed].join(", ")})`,
      );
    }
    if (obj["doc"] !== undefined) this.string(obj["doc"], join(at, "doc"));
  }

  private readMeta(v: Json, at: string): KsySpec["meta"] {
    const meta = this.record(v, at);
    this.allowKeys(meta, at, ["id", "title", "application", "license", "endian", "encoding"]);
    const id = this.ident(meta["id"], join(at, "id"));
    if (meta["endian"] !== "be") {
      this.fail(join(at, "endian"), 'only "be" is supported: every Parrot integer is big-endian');
    }
    if (meta["encoding"] !== "UTF-8") {
      this.fail(join(at, "encoding"), 'only "UTF-8" is supported: Parrot strings are UTF-8');
    }
    const out: KsySpec["meta"] = { id };
    for (const key of ["title", "application", "license"] as const) {
      const s = this.optString(meta[key], join(at, key));
      if (s !== undefined) out[key] = s;
    }
    return out;
  }

  private readEnums(v: Json, at: string): Map<string, KsyEnumEntry[]> {
    const out = new Map<string, KsyEnumEntry[]>();
    for (const [name, body] of Object.entries(this.record(v, at))) {
      const enumAt = join(at, name);
      this.ident(name, enumAt);
      const entries: KsyEnumEntry[] = [];
      const seenIds = new Set<string>();
      for (const [key, entry] of Object.entries(this.record(body, enumAt))) {
        const entryAt = join(enumAt, key);
        if (!/^\d+$/.test(key)) this.fail(entryAt, "enum keys must be non-negative integers");
        const value = Number(key);
        const e = this.record(entry, entryAt);
        this.allowKeys(e, entryAt, ["id"]);
        const id = this.ident(e["id"], join(entryAt, "id"));
        if (seenIds.has(id)) this.fail(join(entryAt, "id"), `duplicate enum id "${id}"`);
        seenIds.add(id);
        const doc = this.optString(e["doc"], join(entryAt, "doc"));
        entries.push({ value, id, ...(doc === undefined ? {} : { doc }) });
      }
      if (entries.length === 0) this.fail(enumAt, "an enum needs at least one entry");
      entries.sort((a, b) => a.value - b.value);
      out.set(name, entries);
    }
    return out;
  }

  private readTypes(v: Json, at: string, enums: Map<string, KsyEnumEntry[]>): Map<string, KsyType> {
    const out = new Map<string, KsyType>();
    for (const [name, body] of Object.entries(this.record(v, at))) {
      const typeAt = join(at, name);
      this.ident(name, typeAt);
      const t = this.record(body, typeAt);
      this.allowKeys(t, typeAt, ["seq", "instances"]);
      const seqAt = join(typeAt, "seq");
      const rawSeq = t["seq"];
      if (!Array.isArray(rawSeq)) this.fail(seqAt, "expected a list (use `seq: []` for no fields)");
      const seq: KsyAttr[] = [];
      (rawSeq as Json[]).forEach((raw, i) => {
        seq.push(this.readAttr(raw, join(seqAt, i), seq, enums));
      });
      const instances: KsyAttr[] = [];
      if (t["instances"] !== undefined) {
        const instAt = join(typeAt, "instances");
        for (const [id, raw] of Object.entries(this.record(t["instances"], instAt))) {
          instances.push(this.readInstance(id, raw, join(instAt, id), enums));
        }
      }
      const doc = this.optString(t["doc"], join(typeAt, "doc"));
      out.set(name, { name, seq, instances, at: typeAt, ...(doc === undefined ? {} : { doc }) });
    }
    for (const t of out.values()) {
      for (const f of t.seq) if (f.entryType !== undefined) this.checkEntryType(f, out);
    }
    return out;
  }

  /**
   * A repeated user type must be a length-prefixed string and nothing else: the codec exposes the
   * list as string[], which is only faithful to the Kaitai reading when an entry holds one string.
   */
  private checkEntryType(f: KsyAttr, types: Map<string, KsyType>): void {
    const at = join(f.at, "type");
    const entry = types.get(f.entryType!);
    if (entry === undefined) this.fail(at, `no type named "${f.entryType}"`);
    const [len, str] = entry!.seq;
    if (
      entry!.seq.length !== 2 ||
      len === undefined ||
      str === undefined ||
      !INT_TYPES.includes(len.type) ||
      str.type !== "str" ||
      str.size !== len.id
    ) {
      this.fail(
        join(entry!.at, "seq"),
        "an entry type (repeated by a payload field) must be exactly [<integer length>, <str sized by it>]",
      );
    }
  }

  private readAttr(
    raw: Json,
    at: string,
    earlier: readonly KsyAttr[],
    enums: Map<string, KsyEnumEntry[]>,
  ): KsyAttr {
    const a = this.record(raw, at);
    this.allowKeys(a, at, [
      "id",
      "type",
      "enum",
      "valid",
      "-parrot-error",
      "size",
      "repeat",
      "repeat-expr",
    ]);
    const id = this.ident(a["id"], join(at, "id"));
    if (earlier.some((e) => e.id === id)) this.fail(join(at, "id"), `duplicate field id "${id}"`);
    const type = this.string(a["type"], join(at, "type"));
    const isEntry = IDENT.test(type) && !INT_TYPES.includes(type) && a["repeat"] !== undefined;
    if (!INT_TYPES.includes(type) && type !== "str" && !isEntry) {
      this.fail(
        join(at, "type"),
        `unsupported type "${type}" (supported inside a payload: u1, u2, u4, str, and a repeated entry type)`,
      );
    }
    const attr: KsyAttr = isEntry
      ? { id, type: "entry", entryType: type, at }
      : { id, type: type as KsyAttr["type"], at };
    const doc = this.optString(a["doc"], join(at, "doc"));
    if (doc !== undefined) attr.doc = doc;

    if (type === "str") {
      for (const key of ["enum", "valid", "-parrot-error", "repeat", "repeat-expr"]) {
        if (a[key] !== undefined) this.fail(join(at, key), `"${key}" is not supported on a str`);
      }
      if (a["size"] === undefined) this.fail(at, "a str needs `size: <earlier integer field>`");
      attr.size = this.earlierInt(a["size"], join(at, "size"), earlier);
      return attr;
    }

    if (a["size"] !== undefined) this.fail(join(at, "size"), "`size` is only supported on str");
    if (a["repeat"] !== undefined || a["repeat-expr"] !== undefined) {
      if (a["repeat"] !== "expr") {
        this.fail(join(at, "repeat"), "only `repeat: expr` with `repeat-expr` is supported");
      }
      if (type !== "u1" && !isEntry) {
        this.fail(join(at, "type"), "only u1 and entry types may be repeated");
      }
      for (const key of ["enum", "valid", "-parrot-error"]) {
        if (a[key] !== undefined) {
          this.fail(join(at, key), `"${key}" is not supported on a repeated field`);
        }
      }
      attr.repeatExpr = this.earlierInt(a["repeat-expr"], join(at, "repeat-expr"), earlier);
      return attr;
    }

    if (a["enum"] !== undefined) {
      const name = this.ident(a["enum"], join(at, "enum"));
      if (!enums.has(name)) this.fail(join(at, "enum"), `no enum named "${name}" in enums`);
      attr.enum = name;
    }
    if (a["valid"] !== undefined) attr.valid = this.readValid(a["valid"], join(at, "valid"), attr);
    if (attr.enum !== undefined && attr.valid?.inEnum !== true) {
      this.fail(
        join(at, "valid"),
        "an enum field needs `valid: {in-enum: true}` so every decoded value has a name",
      );
    }
    if (a["-parrot-error"] !== undefined) {
      const errAt = join(at, "-parrot-error");
      if (attr.valid === undefined) this.fail(errAt, "-parrot-error needs a `valid` to report on");
      const code = this.ident(a["-parrot-error"], errAt);
      const codes = enums.get("error_code");
      if (codes === undefined) this.fail(errAt, "-parrot-error needs an enum named error_code");
      if (!codes!.some((e) => e.id === code)) {
        this.fail(errAt, `"${code}" is not an entry of enum error_code`);
      }
      attr.parrotError = code;
    }
    return attr;
  }

  /**
   * A positioned instance (`pos`, an integer `type`, `enum`, `valid`, `-parrot-error`): the only
   * kind the header's message type check needs. Where it may appear is checkHeader's business.
   */
  private readInstance(
    id: string,
    raw: Json,
    at: string,
    enums: Map<string, KsyEnumEntry[]>,
  ): KsyAttr {
    this.ident(id, at);
    const a = this.record(raw, at);
    this.allowKeys(a, at, ["pos", "type", "enum", "valid", "-parrot-error"]);
    const pos = a["pos"];
    if (typeof pos !== "number" || !Number.isInteger(pos) || pos < 0) {
      this.fail(join(at, "pos"), "an instance needs `pos: <byte offset>` (a non-negative integer)");
    }
    const type = this.string(a["type"], join(at, "type"));
    if (!INT_TYPES.includes(type)) {
      this.fail(join(at, "type"), `unsupported instance type "${type}" (supported: u1, u2, u4)`);
    }
    const { pos: _pos, ...field } = a;
    const attr = this.readAttr({ id, ...field }, at, [], enums);
    attr.pos = pos as number;
    return attr;
  }

  private readValid(v: Json, at: string, attr: KsyAttr): KsyValid {
    const max = maxOf(attr.type as KsyIntType);
    const int = (x: Json, xAt: string): number => {
      if (typeof x !== "number" || !Number.isInteger(x) || x < 0 || x > max) {
        return this.fail(xAt, `expected an integer in 0..${max} for a ${attr.type}`);
      }
      return x;
    };
    if (typeof v === "number") return { eq: int(v, at) };
    const obj = this.record(v, at);
    for (const key of Object.keys(obj)) {
      if (!["min", "max", "in-enum"].includes(key)) {
        this.fail(
          join(at, key),
          `"${key}" is not supported in valid (supported: a number, min, max, in-enum)`,
        );
      }
    }
    const out: KsyValid = {};
    if (obj["min"] !== undefined) out.min = int(obj["min"], join(at, "min"));
    if (obj["max"] !== undefined) out.max = int(obj["max"], join(at, "max"));
    if (obj["in-enum"] !== undefined) {
      if (obj["in-enum"] !== true)
        this.fail(join(at, "in-enum"), "only `in-enum: true` is supported");
      if (attr.enum === undefined)
        this.fail(join(at, "in-enum"), "in-enum needs `enum:` on the field");
      out.inEnum = true;
    }
    if (out.min !== undefined && out.max !== undefined && out.min > out.max) {
      this.fail(at, `min ${out.min} is greater than max ${out.max}`);
    }
    if (Object.keys(out).length === 0) this.fail(at, "empty valid");
    return out;
  }

  /** A `size` or `repeat-expr` reference: an earlier integer field, referenced by nothing else. */
  private earlierInt(v: Json, at: string, earlier: readonly KsyAttr[]): string {
    const ref = this.string(v, at);
    const target = earlier.find((e) => e.id === ref);
    if (target === undefined) {
      return this.fail(at, `"${ref}" must be the id of an earlier field in the same seq`);
    }
    if (
      !INT_TYPES.includes(target.type) ||
      target.enum !== undefined ||
      target.repeatExpr !== undefined ||
      target.valid?.eq !== undefined
    ) {
      this.fail(at, `"${ref}" must be a plain unsigned integer field`);
    }
    if (earlier.some((e) => e.size === ref || e.repeatExpr === ref)) {
      this.fail(at, `"${ref}" already sizes another field`);
    }
    return ref;
  }

  private readRootSeq(
    v: Json,
    at: string,
    types: Map<string, KsyType>,
    enums: Map<string, KsyEnumEntry[]>,
  ): KsySpec["root"] {
    if (!Array.isArray(v) || v.length !== 2) {
      return this.fail(at, "the root seq must be exactly [header, body]");
    }
    const headerAt = join(at, 0);
    const h = this.record(v[0], headerAt);
    this.allowKeys(h, headerAt, ["id", "type", "size"]);
    const headerId = this.ident(h["id"], join(headerAt, "id"));
    const headerType = this.ident(h["type"], join(headerAt, "type"));
    const header = types.get(headerType);
    if (header === undefined) this.fail(join(headerAt, "type"), `no type named "${headerType}"`);
    const knownType = this.checkHeader(header!);
    const headerBytes = header!.seq.reduce((n, f) => n + bytesOf(f.type as KsyIntType), 0);
    if (h["size"] !== headerBytes) {
      // Its own substream keeps the instance's pos relative to this PDU's header.
      this.fail(
        join(headerAt, "size"),
        `the header needs \`size: ${headerBytes}\` (its own substream)`,
      );
    }
    for (const t of types.values()) {
      if (t !== header && t.instances.length > 0) {
        this.fail(
          join(t.at, "instances"),
          `"instances" is outside the Kaitai subset the Parrot generator supports (only the header has one, its checked message type)`,
        );
      }
    }

    const bodyAt = join(at, 1);
    const b = this.record(v[1], bodyAt);
    this.allowKeys(b, bodyAt, ["id", "size", "type"]);
    const bodyId = this.ident(b["id"], join(bodyAt, "id"));
    const headerField = (x: Json, xAt: string): string => {
      const s = this.string(x, xAt);
      const m = /^([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)$/.exec(s);
      const known = [...header!.seq, ...header!.instances];
      if (m === null || m[1] !== headerId || !known.some((f) => f.id === m[2])) {
        return this.fail(xAt, `expected "${headerId}.<field of ${headerType}>", got "${s}"`);
      }
      return m[2]!;
    };
    const sizeField = headerField(b["size"], join(bodyAt, "size"));
    const sw = this.record(b["type"], join(bodyAt, "type"));
    this.allowKeys(sw, join(bodyAt, "type"), ["switch-on", "cases"]);
    const switchField = headerField(sw["switch-on"], join(bodyAt, "type.switch-on"));
    if (sizeField !== "payload_length") {
      this.fail(join(bodyAt, "size"), `the body must be sized by ${headerId}.payload_length`);
    }
    if (switchField !== knownType.id) {
      this.fail(
        join(bodyAt, "type.switch-on"),
        `the body must switch on ${headerId}.${knownType.id}, the checked message type, so that the check comes after payload_length's (spec/README.md §8.2)`,
      );
    }
    const switchEnum = knownType.enum!;
    const casesAt = join(bodyAt, "type.cases");
    const cases: KsyBodyCase[] = [];
    const entryTypes = new Set(
      [...types.values()].flatMap((t) => t.seq.flatMap((f) => f.entryType ?? [])),
    );
    for (const [key, typeName] of Object.entries(this.record(sw["cases"], casesAt))) {
      const caseAt = join(casesAt, key);
      const m = /^([a-z][a-z0-9_]*)::([a-z][a-z0-9_]*)$/.exec(key);
      if (m === null || m[1] !== switchEnum) {
        this.fail(caseAt, `case keys must be "${switchEnum}::<entry>"`);
      }
      const entry = m![2]!;
      if (!enums.get(switchEnum)!.some((e) => e.id === entry)) {
        this.fail(caseAt, `"${entry}" is not an entry of enum ${switchEnum}`);
      }
      const t = this.ident(typeName, caseAt);
      if (!types.has(t) || t === headerType) this.fail(caseAt, `no payload type named "${t}"`);
      if (entryTypes.has(t)) this.fail(caseAt, `"${t}" is an entry type and cannot be a payload`);
      if (cases.some((c) => c.entry === entry)) this.fail(caseAt, `duplicate case "${entry}"`);
      cases.push({ entry, type: t });
    }
    for (const e of enums.get(switchEnum)!) {
      if (!cases.some((c) => c.entry === e.id)) {
        this.fail(casesAt, `${switchEnum}::${e.id} has no case: every message type needs a layout`);
      }
    }
    for (const name of types.keys()) {
      if (entryTypes.has(name)) continue;
      if (name !== headerType && !cases.some((c) => c.type === name)) {
        this.fail(join("types", name), "type is not used by any body case");
      }
    }
    return {
      headerId,
      headerType,
      knownTypeInstance: knownType.id,
      bodyId,
      sizeField,
      switchField,
      switchEnum,
      cases,
    };
  }

  /**
   * The header layout is fixed by the protocol: the codec needs to know each field's role. The
   * message type is checked in the header's one instance, the same byte as enum + in-enum, and not
   * on the seq field: Kaitai checks in seq order, and payload_length's bound must come first.
   * Returns that instance.
   */
  private checkHeader(header: KsyType): KsyAttr {
    const want: [string, string, (f: KsyAttr) => boolean, string][] = [
      ["magic", "u2", (f) => f.valid?.eq !== undefined, "valid: <magic number>"],
      ["version", "u1", (f) => f.valid === undefined, "no valid"],
      [
        "message_type",
        "u1",
        (f) => f.enum === undefined && f.valid === undefined,
        "no enum, no valid: it is checked in an instance, after payload_length",
      ],
      [
        "payload_length",
        "u4",
        (f) => f.valid?.max !== undefined && f.valid.min === undefined,
        "valid: {max: N}",
      ],
    ];
    if (header.seq.length !== want.length) {
      this.fail(
        join(header.at, "seq"),
        `the header must be exactly ${want.map((w) => w[0]).join(", ")}`,
      );
    }
    header.seq.forEach((f, i) => {
      const [id, type, ok, shape] = want[i]!;
      if (f.id !== id || f.type !== type || !ok(f)) {
        this.fail(f.at, `header field ${i} must be ${id} (${type}, ${shape})`);
      }
    });
    const typeOffset = bytesOf("u2") + bytesOf("u1");
    const [known, ...more] = header.instances;
    if (known === undefined || more.length > 0) {
      this.fail(
        join(header.at, "instances"),
        "the header needs exactly one instance: message_type checked against its enum (pos, u1, enum, valid: {in-enum: true})",
      );
    }
    if (known!.pos !== typeOffset || known!.type !== "u1" || known!.valid?.inEnum !== true) {
      this.fail(
        known!.at,
        `the header's instance must read message_type again: pos: ${typeOffset}, type: u1, enum, valid: {in-enum: true}`,
      );
    }
    return known!;
  }
}

export function maxOf(type: KsyIntType): number {
  return type === "u1" ? 0xff : type === "u2" ? 0xffff : 0xffffffff;
}

export function bytesOf(type: KsyIntType): 1 | 2 | 4 {
  return type === "u1" ? 1 : type === "u2" ? 2 : 4;
}
