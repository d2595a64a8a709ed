/**
 * fast-check arbitraries for every message type, biased toward the edges that break codecs: empty
 * and exactly-full strings, multi-byte and astral characters, u4 extremes, 1 and 16 versions,
 * empty and exactly-full name lists.
 */
import fc from "fast-check";
import {
  DELIVERY_STATUS_NAMES,
  ERROR_CODE_NAMES,
  LIMITS,
  LOGIN_STATUS_NAMES,
  MAX_STRING_BYTES,
  type Pdu,
  PRESENCE_MODE_NAMES,
  PRESENCE_STATUS_NAMES,
  ROOM_EVENT_KIND_NAMES,
  ROOM_STATUS_NAMES,
  TARGET_KIND_NAMES,
  TYPING_STATE_NAMES,
  VERSION_STATUS_NAMES,
  WHO_STATUS_NAMES,
} from "../../generated/index.ts";

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

export const u1 = fc.integer({ min: 0, max: 0xff });

export const u4 = fc.oneof(
  fc.constantFrom(0, 1, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff),
  fc
    .tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }))
    .map(([hi, lo]) => hi * 0x10000 + lo),
);

/** fc.record builds null-prototype objects; decode() returns plain ones, and deepEqual compares prototypes. */
function pdu<R extends Pdu>(fields: { [K in keyof R]: fc.Arbitrary<R[K]> }): fc.Arbitrary<Pdu> {
  return fc.record(fields).map((r): Pdu => ({ ...r }) as R);
}

const versions = fc.array(u1, { minLength: 1, maxLength: 16 });

/** Name lists (ROOM_LIST.rooms, WHO_LIST.names): mostly short, sometimes exactly full. */
function nameList(maxNameBytes: number): fc.Arbitrary<string[]> {
  const max = LIMITS.maxListEntries;
  return fc.oneof(
    { weight: 4, arbitrary: fc.array(utf8String(maxNameBytes), { maxLength: 8 }) },
    { weight: 1, arbitrary: fc.array(utf8String(maxNameBytes), { maxLength: max }) },
    {
      weight: 1,
      arbitrary: fc.array(utf8String(maxNameBytes), { minLength: max, maxLength: max }),
    },
  );
}

/** One arbitrary per message type, keyed by type name. */
export const pduArbitraries: Record<Pdu["type"], fc.Arbitrary<Pdu>> = {
  VERSION_REQUEST: pdu({
    type: fc.constant("VERSION_REQUEST" as const),
    version: u1,
    versions,
  }),
  VERSION_RESPONSE: pdu({
    type: fc.constant("VERSION_RESPONSE" as const),
    version: u1,
    status: fc.constantFrom(...VERSION_STATUS_NAMES),
    chosenVersion: u1,
    pingIntervalMs: u4,
    pingTimeoutMs: u4,
    supportedVersions: versions,
  }),
  LOGIN_REQUEST: pdu({
    type: fc.constant("LOGIN_REQUEST" as const),
    version: u1,
    username: utf8String(MAX_STRING_BYTES.LOGIN_REQUEST.username),
    password: utf8String(MAX_STRING_BYTES.LOGIN_REQUEST.password),
  }),
  LOGIN_RESPONSE: pdu({
    type: fc.constant("LOGIN_RESPONSE" as const),
    version: u1,
    status: fc.constantFrom(...LOGIN_STATUS_NAMES),
    text: utf8String(MAX_STRING_BYTES.LOGIN_RESPONSE.text),
  }),
  CHAT: pdu({
    type: fc.constant("CHAT" as const),
    version: u1,
    messageId: u4,
    text: utf8String(MAX_STRING_BYTES.CHAT.text),
  }),
  CHAT_ECHO: pdu({
    type: fc.constant("CHAT_ECHO" as const),
    version: u1,
    messageId: u4,
    text: utf8String(MAX_STRING_BYTES.CHAT_ECHO.text),
  }),
  PING: pdu({ type: fc.constant("PING" as const), version: u1, token: u4 }),
  PONG: pdu({ type: fc.constant("PONG" as const), version: u1, token: u4 }),
  LOGOUT: pdu({ type: fc.constant("LOGOUT" as const), version: u1 }),
  ERROR: pdu({
    type: fc.constant("ERROR" as const),
    version: u1,
    code: fc.constantFrom(...ERROR_CODE_NAMES),
    text: utf8String(MAX_STRING_BYTES.ERROR.text),
  }),
  DIRECT_SEND: pdu({
    type: fc.constant("DIRECT_SEND" as const),
    version: u1,
    messageId: u4,
    to: utf8String(MAX_STRING_BYTES.DIRECT_SEND.to),
    text: utf8String(MAX_STRING_BYTES.DIRECT_SEND.text),
  }),
  DIRECT_STATUS: pdu({
    type: fc.constant("DIRECT_STATUS" as const),
    version: u1,
    messageId: u4,
    status: fc.constantFrom(...DELIVERY_STATUS_NAMES),
  }),
  DIRECT_MESSAGE: pdu({
    type: fc.constant("DIRECT_MESSAGE" as const),
    version: u1,
    messageId: u4,
    from: utf8String(MAX_STRING_BYTES.DIRECT_MESSAGE.from),
    text: utf8String(MAX_STRING_BYTES.DIRECT_MESSAGE.text),
  }),
  ROOM_JOIN: pdu({
    type: fc.constant("ROOM_JOIN" as const),
    version: u1,
    requestId: u4,
    room: utf8String(MAX_STRING_BYTES.ROOM_JOIN.room),
  }),
  ROOM_LEAVE: pdu({
    type: fc.constant("ROOM_LEAVE" as const),
    version: u1,
    requestId: u4,
    room: utf8String(MAX_STRING_BYTES.ROOM_LEAVE.room),
  }),
  ROOM_RESULT: pdu({
    type: fc.constant("ROOM_RESULT" as const),
    version: u1,
    requestId: u4,
    status: fc.constantFrom(...ROOM_STATUS_NAMES),
    room: utf8String(MAX_STRING_BYTES.ROOM_RESULT.room),
  }),
  ROOM_SAY: pdu({
    type: fc.constant("ROOM_SAY" as const),
    version: u1,
    messageId: u4,
    room: utf8String(MAX_STRING_BYTES.ROOM_SAY.room),
    text: utf8String(MAX_STRING_BYTES.ROOM_SAY.text),
  }),
  ROOM_MESSAGE: pdu({
    type: fc.constant("ROOM_MESSAGE" as const),
    version: u1,
    messageId: u4,
    room: utf8String(MAX_STRING_BYTES.ROOM_MESSAGE.room),
    from: utf8String(MAX_STRING_BYTES.ROOM_MESSAGE.from),
    text: utf8String(MAX_STRING_BYTES.ROOM_MESSAGE.text),
  }),
  ROOM_EVENT: pdu({
    type: fc.constant("ROOM_EVENT" as const),
    version: u1,
    room: utf8String(MAX_STRING_BYTES.ROOM_EVENT.room),
    user: utf8String(MAX_STRING_BYTES.ROOM_EVENT.user),
    event: fc.constantFrom(...ROOM_EVENT_KIND_NAMES),
  }),
  ROOM_LIST_REQUEST: pdu({
    type: fc.constant("ROOM_LIST_REQUEST" as const),
    version: u1,
    requestId: u4,
    offset: u4,
  }),
  ROOM_LIST: pdu({
    type: fc.constant("ROOM_LIST" as const),
    version: u1,
    requestId: u4,
    total: u4,
    rooms: nameList(MAX_STRING_BYTES.ROOM_LIST.rooms),
  }),
  WHO_REQUEST: pdu({
    type: fc.constant("WHO_REQUEST" as const),
    version: u1,
    requestId: u4,
    room: utf8String(MAX_STRING_BYTES.WHO_REQUEST.room),
    offset: u4,
  }),
  WHO_LIST: pdu({
    type: fc.constant("WHO_LIST" as const),
    version: u1,
    requestId: u4,
    status: fc.constantFrom(...WHO_STATUS_NAMES),
    room: utf8String(MAX_STRING_BYTES.WHO_LIST.room),
    total: u4,
    names: nameList(MAX_STRING_BYTES.WHO_LIST.names),
  }),
  TYPING: pdu({
    type: fc.constant("TYPING" as const),
    version: u1,
    targetKind: fc.constantFrom(...TARGET_KIND_NAMES),
    target: utf8String(MAX_STRING_BYTES.TYPING.target),
    state: fc.constantFrom(...TYPING_STATE_NAMES),
  }),
  TYPING_NOTICE: pdu({
    type: fc.constant("TYPING_NOTICE" as const),
    version: u1,
    targetKind: fc.constantFrom(...TARGET_KIND_NAMES),
    room: utf8String(MAX_STRING_BYTES.TYPING_NOTICE.room),
    from: utf8String(MAX_STRING_BYTES.TYPING_NOTICE.from),
    state: fc.constantFrom(...TYPING_STATE_NAMES),
  }),
  PRESENCE_SUBSCRIBE: pdu({
    type: fc.constant("PRESENCE_SUBSCRIBE" as const),
    version: u1,
    enabled: fc.constantFrom(...PRESENCE_MODE_NAMES),
  }),
  PRESENCE_EVENT: pdu({
    type: fc.constant("PRESENCE_EVENT" as const),
    version: u1,
    user: utf8String(MAX_STRING_BYTES.PRESENCE_EVENT.user),
    status: fc.constantFrom(...PRESENCE_STATUS_NAMES),
  }),
};

export const anyPdu: fc.Arbitrary<Pdu> = fc.oneof(...Object.values(pduArbitraries));
