/**
 * Puts a Kaitai parse result into our PDU shape, using Kaitai's own enum tables, so tests compare the
 * two readings of pdu.ksy without routing the Kaitai side through our generated code. Which fields
 * are enums, derived lengths or name lists comes from the codec model of pdu.ksy, so a new message
 * type needs no entry here.
 */
import { kaitaiParse, ParrotPdu } from "../../generated/kaitai-parser.ts";
import type { FieldModel, LengthField } from "../../tools/codegen/codec-model.ts";
import { specCodecModel } from "./spec-codec-model.ts";

/** Kaitai's enum objects map numbers to UPPER_SNAKE names, e.g. ParrotPdu.LoginStatus[2]. */
type KaitaiEnum = Record<number, string>;
const kaitaiEnums = ParrotPdu as unknown as Record<string, KaitaiEnum>;

/** Kaitai names fields in camelCase, as the model's `prop`. */
const FIELDS_BY_TYPE = new Map<string, Map<string, FieldModel>>(
  specCodecModel.messages.map((m) => [m.name, new Map(m.fields.map((f) => [f.prop, f]))]),
);

export interface KaitaiView {
  /** Our PDU shape, built from Kaitai's fields. */
  pdu: Record<string, unknown>;
  /** Kaitai's length/count fields that disagree with the data they measure (should be empty). */
  lengthMismatches: string[];
}

/** What a derived length or count measures in the PDU value of the field it sizes. */
function measure(sized: FieldModel | undefined, data: unknown): number {
  if (sized?.kind === "str") return Buffer.byteLength(data as string, "utf8");
  return (data as unknown[]).length;
}

export function kaitaiView(frame: Uint8Array): KaitaiView {
  const parsed = kaitaiParse(frame);
  const typeName = (kaitaiEnums["MessageType"] as KaitaiEnum)[parsed.header.messageType];
  if (typeName === undefined)
    throw new Error(`Kaitai accepted unknown type ${parsed.header.messageType}`);
  const fields = FIELDS_BY_TYPE.get(typeName)!;
  const pdu: Record<string, unknown> = { type: typeName, version: parsed.header.version };
  const body = parsed.body as Record<string, unknown>;
  const lengthMismatches: string[] = [];
  const derived: [string, unknown, LengthField][] = [];
  for (const [key, value] of Object.entries(body)) {
    if (key.startsWith("_")) continue;
    const f = fields.get(key);
    if (f === undefined) throw new Error(`Kaitai read a field ${typeName}.${key} the model lacks`);
    if (f.kind === "length") {
      derived.push([key, value, f]);
    } else if (f.kind === "strlist") {
      const lengthProp = f.itemLength.prop;
      const nameProp = f.itemLength.of;
      pdu[key] = (value as Record<string, unknown>[]).map((entry, i) => {
        const name = entry[nameProp] as string;
        const bytes = Buffer.byteLength(name, "utf8");
        if (bytes !== entry[lengthProp]) {
          lengthMismatches.push(
            `${key}[${i}].${lengthProp}=${String(entry[lengthProp])} but ${nameProp} measures ${bytes}`,
          );
        }
        return name;
      });
    } else if (f.kind === "int" && f.enumModel !== undefined) {
      pdu[key] = (kaitaiEnums[f.enumModel.tsName] as KaitaiEnum)[value as number];
    } else {
      pdu[key] = value;
    }
  }
  for (const [key, value, f] of derived) {
    const actual = measure(fields.get(f.of), pdu[f.of]);
    if (actual !== value)
      lengthMismatches.push(`${key}=${String(value)} but ${f.of} measures ${actual}`);
  }
  return { pdu, lengthMismatches };
}
