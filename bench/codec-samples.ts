/**
 * One realistic message of every type, at the sizes a live session sends them: what the codec benchmark
 * encodes and decodes. CHAT appears twice because its cost grows with the text: 64 bytes is a typical chat
 * line, 1 KiB a pasted paragraph.
 */
import type { Pdu } from "../generated/index.ts";

export interface CodecSample {
  /** Row label: the message type, plus the size where one type has several samples. */
  name: string;
  pdu: Pdu;
}

const CHAT_64 = "parrot bench: sixty-four bytes of chat text, echoed back to me!!";
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
];
