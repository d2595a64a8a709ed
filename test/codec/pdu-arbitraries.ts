/**
 * fast-check arbitraries for every message type, derived field by field from the codec model of
 * spec/pdu.ksy (so a new message type or field needs no entry here), biased toward the edges that
 * break codecs: empty and exactly-full strings, multi-byte and astral characters, integer extremes,
 * the smallest and largest counts, empty and exactly-full name lists.
 *
 * Deriving them from the model the codec is generated from does not make the round trip circular:
 * differential.test.ts holds every encoded PDU against the Kaitai compiler's own parser of pdu.ksy.
 */
import fc from "fast-check";
import type { MessageTypeName, Pdu } from "../../generated/index.ts";
import type { FieldModel, MessageModel } from "../../tools/codegen/codec-model.ts";
import { maxOf } from "../../tools/codegen/ksy-spec.ts";
import { specCodecModel } from "./spec-codec-model.ts";

/** Drops code points from the end until the UTF-8 form fits `maxBytes`. */
function fitUtf8(s: string, maxBytes: number): string {
  let bytes = 0;
  let out = "";
  for (const ch of s) {
    const n = Buffer.byteLength(ch, "utf8");
    if (bytes + n > maxBytes) break;
    bytes += n;
    out += ch;
  }
  return out;
}

/** Any well-formed Unicode string of at most `maxBytes` UTF-8 bytes, often empty or exactly full. */
export function utf8String(maxBytes: number): fc.Arbitrary<string> {
  const full = fc
    .tuple(fc.constantFrom("a", "é", "€", "🦜", "\u0000"), fc.constantFrom("a", "\u007f"))
    .map(([ch, pad]) => {
      const width = Buffer.byteLength(ch, "utf8");
      const n = Math.floor(maxBytes / width);
      return ch.repeat(n) + pad.repeat(maxBytes - n * width);
    });
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant("") },
    { weight: 1, arbitrary: full },
    {
      weight: 4,
      arbitrary: fc
        .string({ unit: "binary", maxLength: maxBytes })
        .map((s) => fitUtf8(s, maxBytes)),
    },
    {
      weight: 2,
      arbitrary: fc.string({ unit: "grapheme", maxLength: 64 }).map((s) => fitUtf8(s, maxBytes)),
    },
  );
}

/** Strings of minBytes..maxBytes UTF-8 bytes. */
function utf8StringIn(minBytes: number, maxBytes: number): fc.Arbitrary<string> {
  const any = utf8String(maxBytes);
  return minBytes === 0 ? any : any.filter((s) => Buffer.byteLength(s, "utf8") >= minBytes);
}

/** Integers in min..max (up to a u4's range), often one of the edges. */
export function uint(min: number, max: number): fc.Arbitrary<number> {
  const edges = [min, min + 1, max - 1, max, 0x7fffffff, 0x80000000].filter(
    (n) => n >= min && n <= max,
  );
  // fc.integer stops at 2^31 - 1; a u4 is two u2 halves.
  const spread =
    max <= 0x7fffffff
      ? fc.integer({ min, max })
      : fc
          .tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }))
          .map(([hi, lo]) => hi * 0x10000 + lo)
          .filter((n) => n >= min && n <= max);
  return fc.oneof(fc.constantFrom(...edges), spread);
}

export const u1 = uint(0, 0xff);

/** Lists of `item` with count in min..max: mostly short, sometimes as long as allowed. */
function list<T>(item: fc.Arbitrary<T>, min: number, max: number): fc.Arbitrary<T[]> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.array(item, { minLength: min, maxLength: Math.min(max, min + 8) }) },
    { weight: 1, arbitrary: fc.array(item, { minLength: min, maxLength: max }) },
    { weight: 1, arbitrary: fc.array(item, { minLength: max, maxLength: max }) },
    { weight: 1, arbitrary: fc.array(item, { minLength: min, maxLength: min }) },
  );
}

/** The arbitrary of one PDU property, or undefined for a derived length or count. */
function fieldArbitrary(f: FieldModel): fc.Arbitrary<unknown> | undefined {
  switch (f.kind) {
    case "length":
      return undefined;
    case "int":
      if (f.enumModel !== undefined) {
        return fc.constantFrom(...f.enumModel.entries.map((e) => e.name));
      }
      if (f.eq !== undefined) return fc.constant(f.eq);
      return uint(f.min ?? 0, f.max ?? maxOf(f.type));
    case "str":
      return utf8StringIn(f.lengthField.min ?? 0, f.maxBytes);
    case "u1array":
      return list(u1, f.countField.min ?? 0, f.countField.max ?? maxOf(f.countField.type));
    case "strlist":
      return list(
        utf8StringIn(f.itemLength.min ?? 0, f.itemMaxBytes),
        f.countField.min ?? 0,
        f.countField.max ?? maxOf(f.countField.type),
      );
  }
}

function messageArbitrary(m: MessageModel): fc.Arbitrary<Pdu> {
  const fields: Record<string, fc.Arbitrary<unknown>> = {
    type: fc.constant(m.name),
    version: u1,
  };
  for (const f of m.fields) {
    const arbitrary = fieldArbitrary(f);
    if (arbitrary !== undefined) fields[f.prop] = arbitrary;
  }
  // fc.record builds null-prototype objects; decode() returns plain ones, and deepEqual compares prototypes.
  return fc.record(fields).map((r) => ({ ...r }) as unknown as Pdu);
}

/** One arbitrary per message type of pdu.ksy, keyed by type name. */
export const pduArbitraries = Object.fromEntries(
  specCodecModel.messages.map((m) => [m.name, messageArbitrary(m)]),
) as Record<MessageTypeName, fc.Arbitrary<Pdu>>;

export const anyPdu: fc.Arbitrary<Pdu> = fc.oneof(...Object.values(pduArbitraries));
