/**
 * Reads spec/pdu.ksy and checks that it stays inside the Kaitai subset this generator understands.
 *
 * The subset is exactly what Parrot needs (see README.md in this folder). Anything else is refused
 * with the YAML path of the construct, because a silently ignored key would make the generated codec
 * disagree with the Kaitai parser and with every other implementation built from the same file.
 */
import { readFileSync } from "node:fs";
import { LineCounter, parseDocument } from "yaml";
import { readRootSeq } from "./ksy-frame-shape.ts";
import { IDENT, INT_TYPES, type Json, join, KsyNodeReader } from "./ksy-node-reader.ts";
import {
  type KsyAttr,
  type KsyEnumEntry,
  type KsyIntType,
  type KsySpec,
  type KsyType,
  type KsyValid,
  maxOf,
} from "./ksy-spec.ts";
import { SpecError } from "./spec-error.ts";

/** Parses the YAML path syntax this file uses (`types.chat.seq[1].valid`) back into segments. */
function pathSegments(at: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of at.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[1] !== undefined) out.push(m[1]);
  }
  return out;
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

class KsyReader extends KsyNodeReader {
  constructor(
    private readonly root: Json,
    private readonly file: string,
    fail: (at: string, problem: string) => never,
    private readonly lineOf: (at: string) => number | undefined,
  ) {
    super(fail);
  }

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
    const rootSeq = readRootSeq(this, root["seq"], "seq", types, enums);
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
}
