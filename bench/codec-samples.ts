/**
 * One realistic message of every type (protocol v1 and v2), at the sizes a live session sends them: what
 * the codec benchmark encodes and decodes. CHAT appears twice because its cost grows with the text: 64 bytes
 * is a typical chat line, 1 KiB a pasted paragraph. The list pages carry a typical page, not the maximum.
 * codec-bench.ts reports any message type of the spec that has no sample here, so the list cannot rot.
 */
import type { Pdu } from "../generated/index.ts";

export interface CodecSample {
  /** Row label: the message type, plus the size where one type has several samples. */
  name: string;
  pdu: Pdu;
}

const CHAT_64 = "parrot bench: sixty-four bytes of chat text, echoed back to me!!";
const NAMES = Array.from({ length: 50 }, (_, i) => `member.${String(i).padStart(3, "0")}`);
const ROOMS = Array.from({ length: 20 }, (_, i) => `room-${i}-general`);
const CHAT_1K = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do\n".repeat(16);

export const CODEC_SAMPLES: readonly CodecSample[] = [
  { name: "VERSION_REQUEST", pdu: { type: "VERSION_REQUEST", version: 0, versions: [1] } },
  {
    name: "VERSION_RESPONSE",
    pdu: {
      type: "VERSION_RESPONSE",
      version: 0,
      status: "OK",
      chosenVersion: 1,
      pingIntervalMs: 10_000,
      pingTimeoutMs: 15_000,
      supportedVersions: [1],
    },
  },
  {
    name: "LOGIN_REQUEST",
    pdu: {
      type: "LOGIN_REQUEST",
      version: 1,
      username: "alice.smith",
      password: "correct horse battery",
    },
  },
  {
    name: "LOGIN_RESPONSE",
    pdu: { type: "LOGIN_RESPONSE", version: 1, status: "OK", text: "welcome, alice.smith" },
  },
  { name: "CHAT 64 B", pdu: { type: "CHAT", version: 1, messageId: 123_456, text: CHAT_64 } },
  { name: "CHAT 1 KiB", pdu: { type: "CHAT", version: 1, messageId: 123_457, text: CHAT_1K } },
  {
    name: "CHAT_ECHO 64 B",
    pdu: { type: "CHAT_ECHO", version: 1, messageId: 123_456, text: CHAT_64 },
  },
  { name: "PING", pdu: { type: "PING", version: 1, token: 0xdeadbeef } },
  { name: "PONG", pdu: { type: "PONG", version: 1, token: 0xdeadbeef } },
  { name: "LOGOUT", pdu: { type: "LOGOUT", version: 1 } },
  {
    name: "ERROR",
    pdu: { type: "ERROR", version: 1, code: "PING_TIMEOUT", text: "nothing received for 15000 ms" },
  },
  {
    name: "DIRECT_SEND 64 B",
    pdu: { type: "DIRECT_SEND", version: 2, messageId: 77, to: "bob.jones", text: CHAT_64 },
  },
  {
    name: "DIRECT_STATUS",
    pdu: { type: "DIRECT_STATUS", version: 2, messageId: 77, status: "DELIVERED" },
  },
  {
    name: "DIRECT_MESSAGE 64 B",
    pdu: { type: "DIRECT_MESSAGE", version: 2, messageId: 77, from: "alice.smith", text: CHAT_64 },
  },
  { name: "ROOM_JOIN", pdu: { type: "ROOM_JOIN", version: 2, requestId: 3, room: "lobby" } },
  { name: "ROOM_LEAVE", pdu: { type: "ROOM_LEAVE", version: 2, requestId: 4, room: "lobby" } },
  {
    name: "ROOM_RESULT",
    pdu: { type: "ROOM_RESULT", version: 2, requestId: 3, status: "OK", room: "lobby" },
  },
  {
    name: "ROOM_SAY 64 B",
    pdu: { type: "ROOM_SAY", version: 2, messageId: 78, room: "lobby", text: CHAT_64 },
  },
  {
    name: "ROOM_MESSAGE 64 B",
    pdu: {
      type: "ROOM_MESSAGE",
      version: 2,
      messageId: 78,
      room: "lobby",
      from: "alice.smith",
      text: CHAT_64,
    },
  },
  {
    name: "ROOM_EVENT",
    pdu: { type: "ROOM_EVENT", version: 2, room: "lobby", user: "bob.jones", event: "JOINED" },
  },
  {
    name: "ROOM_LIST_REQUEST",
    pdu: { type: "ROOM_LIST_REQUEST", version: 2, requestId: 5, offset: 0 },
  },
  {
    name: "ROOM_LIST 20 rooms",
    pdu: { type: "ROOM_LIST", version: 2, requestId: 5, total: 20, rooms: ROOMS },
  },
  {
    name: "WHO_REQUEST",
    pdu: { type: "WHO_REQUEST", version: 2, requestId: 6, room: "lobby", offset: 0 },
  },
  {
    name: "WHO_LIST 50 names",
    pdu: {
      type: "WHO_LIST",
      version: 2,
      requestId: 6,
      status: "OK",
      room: "lobby",
      total: 50,
      names: NAMES,
    },
  },
  {
    name: "TYPING",
    pdu: { type: "TYPING", version: 2, targetKind: "ROOM", target: "lobby", state: "STARTED" },
  },
  {
    name: "TYPING_NOTICE",
    pdu: {
      type: "TYPING_NOTICE",
      version: 2,
      targetKind: "ROOM",
      room: "lobby",
      from: "alice.smith",
      state: "STARTED",
    },
  },
  { name: "PRESENCE_SUBSCRIBE", pdu: { type: "PRESENCE_SUBSCRIBE", version: 2, enabled: "ON" } },
  {
    name: "PRESENCE_EVENT",
    pdu: { type: "PRESENCE_EVENT", version: 2, user: "bob.jones", status: "ONLINE" },
  },
];
