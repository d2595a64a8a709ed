/**
 * A well-formed example of every message type, for scenarios that only care about the type: sending a
 * PDU in the wrong state, from the wrong role, or before negotiation. Each is valid on its own, so the
 * only thing wrong with it is where it is sent.
 */
import type { MessageTypeName, Pdu } from "../../generated/index.ts";

export function samplePdu(type: MessageTypeName, version: number): Pdu {
  switch (type) {
    case "VERSION_REQUEST":
      return { type, version, versions: [1] };
    case "VERSION_RESPONSE":
      return {
        type,
        version,
        status: "OK",
        chosenVersion: 1,
        pingIntervalMs: 10_000,
        pingTimeoutMs: 15_000,
        supportedVersions: [1],
      };
    case "LOGIN_REQUEST":
      // An account the suite never provisions: if a broken server let it through, nothing else is held.
      return { type, version, username: "sample", password: "sample" };
    case "LOGIN_RESPONSE":
      return { type, version, status: "OK", text: "sample" };
    case "CHAT":
      return { type, version, messageId: 7, text: "sample" };
    case "CHAT_ECHO":
      return { type, version, messageId: 7, text: "sample" };
    case "PING":
      return { type, version, token: 7 };
    case "PONG":
      return { type, version, token: 7 };
    case "LOGOUT":
      return { type, version };
    case "ERROR":
      return { type, version, code: "INTERNAL_ERROR", text: "sample" };
    default:
      // Types of later versions are taken from spec/vectors/valid.json instead (see spec-vectors.ts).
      throw new Error(`scenario bug: no sample ${type} PDU in conformance/support/sample-pdus.ts`);
  }
}
