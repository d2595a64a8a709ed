/**
 * Puts a Kaitai parse result into our PDU shape, using Kaitai's own enum tables, so tests compare the
 * two readings of pdu.ksy without routing the Kaitai side through our generated code.
 */
import { kaitaiParse, ParrotPdu } from "../../generated/kaitai-parser.ts";

/** Kaitai's enum objects map numbers to UPPER_SNAKE names, e.g. ParrotPdu.LoginStatus[2]. */
type KaitaiEnum = Record<number, string>;
const kaitaiEnums = ParrotPdu as unknown as Record<string, KaitaiEnum>;

/** Fields whose values are enum numbers in Kaitai and names in our PDUs. */
const ENUM_FIELDS: Record<string, Record<string, string>> = {
  VERSION_RESPONSE: { status: "VersionStatus" },
  LOGIN_RESPONSE: { status: "LoginStatus" },
  ERROR: { code: "ErrorCode" },
  DIRECT_STATUS: { status: "DeliveryStatus" },
  ROOM_RESULT: { status: "RoomStatus" },
  ROOM_EVENT: { event: "RoomEventKind" },
  WHO_LIST: { status: "WhoStatus" },
  TYPING: { targetKind: "TargetKind", state: "TypingState" },
  TYPING_NOTICE: { targetKind: "TargetKind", state: "TypingState" },
  PRESENCE_SUBSCRIBE: { enabled: "PresenceMode" },
  PRESENCE_EVENT: { status: "PresenceStatus" },
};

/** Repeated entry types: Kaitai objects with a length and a name, plain strings in our PDUs. */
const NAME_LISTS = new Set(["rooms", "names"]);

/** Length and count fields: present in Kaitai, derived (absent) in our PDUs. */
const DERIVED: Record<string, { of: string; measure: "utf8" | "items" }> = {
  usernameLength: { of: "username", measure: "utf8" },
  passwordLength: { of: "password", measure: "utf8" },
  textLength: { of: "text", measure: "utf8" },
  toLength: { of: "to", measure: "utf8" },
  fromLength: { of: "from", measure: "utf8" },
  roomLength: { of: "room", measure: "utf8" },
  userLength: { of: "user", measure: "utf8" },
  targetLength: { of: "target", measure: "utf8" },
  roomCount: { of: "rooms", measure: "items" },
  nameCount: { of: "names", measure: "items" },
  versionCount: { of: "versions", measure: "items" },
  supportedCount: { of: "supportedVersions", measure: "items" },
};

export interface KaitaiView {
  /** Our PDU shape, built from Kaitai's fields. */
  pdu: Record<string, unknown>;
  /** Kaitai's length/count fields that disagree with the data they measure (should be empty). */
  lengthMismatches: string[];
}

export function kaitaiView(frame: Uint8Array): KaitaiView {
  const parsed = kaitaiParse(frame);
  const typeName = (kaitaiEnums["MessageType"] as KaitaiEnum)[parsed.header.messageType];
  if (typeName === undefined)
    throw new Error(`Kaitai accepted unknown type ${parsed.header.messageType}`);
  const pdu: Record<string, unknown> = { type: typeName, version: parsed.header.version };
  const body = parsed.body as Record<string, unknown>;
  const derived: [string, unknown][] = [];
  const entryMismatches: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (key.startsWith("_")) continue;
    if (key in DERIVED) {
      derived.push([key, value]);
      continue;
    }
    if (NAME_LISTS.has(key)) {
      pdu[key] = (value as { nameLength: number; name: string }[]).map((entry, i) => {
        const bytes = Buffer.byteLength(entry.name, "utf8");
        if (bytes !== entry.nameLength) {
          entryMismatches.push(
            `${key}[${i}].nameLength=${entry.nameLength} but name measures ${bytes}`,
          );
        }
        return entry.name;
      });
      continue;
    }
    const enumName = ENUM_FIELDS[typeName]?.[key];
    pdu[key] =
      enumName === undefined ? value : (kaitaiEnums[enumName] as KaitaiEnum)[value as number];
  }
  const lengthMismatches: string[] = [...entryMismatches];
  for (const [key, value] of derived) {
    const { of, measure } = DERIVED[key]!;
    const data = pdu[of];
    const actual =
      measure === "utf8" ? Buffer.byteLength(data as string, "utf8") : (data as unknown[]).length;
    if (actual !== value)
      lengthMismatches.push(`${key}=${String(value)} but ${of} measures ${actual}`);
  }
  return { pdu, lengthMismatches };
}
