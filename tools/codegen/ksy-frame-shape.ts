/**
 * The frame around the payloads: pdu.ksy's root seq (a header, then a body sized by payload_length
 * and switched on the checked message type) and the header type. Their shape is fixed by the
 * protocol, and the codec's runtime (codec/frame-header.ts) relies on it, so anything else is
 * refused here with its YAML path.
 */
import { type Json, join, type KsyNodeReader } from "./ksy-node-reader.ts";
import {
  bytesOf,
  type KsyAttr,
  type KsyBodyCase,
  type KsyEnumEntry,
  type KsyIntType,
  type KsySpec,
  type KsyType,
} from "./ksy-spec.ts";

/**
 * The root seq: exactly [header, body], the header of the checked header type as its own 8-byte
 * substream, the body sized by payload_length and switched on the header's checked message type,
 * with one case per entry of that enum and every payload type used.
 */
export function readRootSeq(
  r: KsyNodeReader,
  v: Json,
  at: string,
  types: Map<string, KsyType>,
  enums: Map<string, KsyEnumEntry[]>,
): KsySpec["root"] {
  if (!Array.isArray(v) || v.length !== 2) {
    return r.fail(at, "the root seq must be exactly [header, body]");
  }
  const headerAt = join(at, 0);
  const h = r.record(v[0], headerAt);
  r.allowKeys(h, headerAt, ["id", "type", "size"]);
  const headerId = r.ident(h["id"], join(headerAt, "id"));
  const headerType = r.ident(h["type"], join(headerAt, "type"));
  const header = types.get(headerType);
  if (header === undefined) r.fail(join(headerAt, "type"), `no type named "${headerType}"`);
  const knownType = checkHeader(r, header!);
  const headerBytes = header!.seq.reduce((n, f) => n + bytesOf(f.type as KsyIntType), 0);
  if (h["size"] !== headerBytes) {
    // Its own substream keeps the instance's pos relative to this PDU's header.
    r.fail(join(headerAt, "size"), `the header needs \`size: ${headerBytes}\` (its own substream)`);
  }
  for (const t of types.values()) {
    if (t !== header && t.instances.length > 0) {
      r.fail(
        join(t.at, "instances"),
        `"instances" is outside the Kaitai subset the Parrot generator supports (only the header has one, its checked message type)`,
      );
    }
  }

  const bodyAt = join(at, 1);
  const b = r.record(v[1], bodyAt);
  r.allowKeys(b, bodyAt, ["id", "size", "type"]);
  const bodyId = r.ident(b["id"], join(bodyAt, "id"));
  const headerField = (x: Json, xAt: string): string => {
    const s = r.string(x, xAt);
    const m = /^([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)$/.exec(s);
    const known = [...header!.seq, ...header!.instances];
    if (m === null || m[1] !== headerId || !known.some((f) => f.id === m[2])) {
      return r.fail(xAt, `expected "${headerId}.<field of ${headerType}>", got "${s}"`);
    }
    return m[2]!;
  };
  const sizeField = headerField(b["size"], join(bodyAt, "size"));
  const sw = r.record(b["type"], join(bodyAt, "type"));
  r.allowKeys(sw, join(bodyAt, "type"), ["switch-on", "cases"]);
  const switchField = headerField(sw["switch-on"], join(bodyAt, "type.switch-on"));
  if (sizeField !== "payload_length") {
    r.fail(join(bodyAt, "size"), `the body must be sized by ${headerId}.payload_length`);
  }
  if (switchField !== knownType.id) {
    r.fail(
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
  for (const [key, typeName] of Object.entries(r.record(sw["cases"], casesAt))) {
    const caseAt = join(casesAt, key);
    const m = /^([a-z][a-z0-9_]*)::([a-z][a-z0-9_]*)$/.exec(key);
    if (m === null || m[1] !== switchEnum) {
      r.fail(caseAt, `case keys must be "${switchEnum}::<entry>"`);
    }
    const entry = m![2]!;
    if (!enums.get(switchEnum)!.some((e) => e.id === entry)) {
      r.fail(caseAt, `"${entry}" is not an entry of enum ${switchEnum}`);
    }
    const t = r.ident(typeName, caseAt);
    if (!types.has(t) || t === headerType) r.fail(caseAt, `no payload type named "${t}"`);
    if (entryTypes.has(t)) r.fail(caseAt, `"${t}" is an entry type and cannot be a payload`);
    if (cases.some((c) => c.entry === entry)) r.fail(caseAt, `duplicate case "${entry}"`);
    cases.push({ entry, type: t });
  }
  for (const e of enums.get(switchEnum)!) {
    if (!cases.some((c) => c.entry === e.id)) {
      r.fail(casesAt, `${switchEnum}::${e.id} has no case: every message type needs a layout`);
    }
  }
  for (const name of types.keys()) {
    if (entryTypes.has(name)) continue;
    if (name !== headerType && !cases.some((c) => c.type === name)) {
      r.fail(join("types", name), "type is not used by any body case");
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
function checkHeader(r: KsyNodeReader, header: KsyType): KsyAttr {
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
    r.fail(
      join(header.at, "seq"),
      `the header must be exactly ${want.map((w) => w[0]).join(", ")}`,
    );
  }
  header.seq.forEach((f, i) => {
    const [id, type, ok, shape] = want[i]!;
    if (f.id !== id || f.type !== type || !ok(f)) {
      r.fail(f.at, `header field ${i} must be ${id} (${type}, ${shape})`);
    }
  });
  const typeOffset = bytesOf("u2") + bytesOf("u1");
  const [known, ...more] = header.instances;
  if (known === undefined || more.length > 0) {
    r.fail(
      join(header.at, "instances"),
      "the header needs exactly one instance: message_type checked against its enum (pos, u1, enum, valid: {in-enum: true})",
    );
  }
  if (known!.pos !== typeOffset || known!.type !== "u1" || known!.valid?.inEnum !== true) {
    r.fail(
      known!.at,
      `the header's instance must read message_type again: pos: ${typeOffset}, type: u1, enum, valid: {in-enum: true}`,
    );
  }
  return known!;
}
