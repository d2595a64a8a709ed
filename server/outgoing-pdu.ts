/**
 * OutgoingPdu: a PDU as a session hands it to `send()`, without the header version. The session
 * fills the version in from the spec's header-version rule for the type (protocol.json
 * "messages"), so no handler can get it wrong.
 */
import type { ErrorCodeName, Pdu } from "../generated/index.ts";
import { MAX_STRING_BYTES } from "../generated/index.ts";

export type OutgoingPdu = Pdu extends infer P
  ? P extends Pdu
    ? Omit<P, "version">
    : never
  : never;

/** An ERROR PDU whose text is `detail` cut to the spec's limit on a character boundary. */
export function errorPdu(code: ErrorCodeName, detail: string): OutgoingPdu {
  return { type: "ERROR", code, text: truncateUtf8(detail, MAX_STRING_BYTES.ERROR.text) };
}

function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, "utf8") <= maxBytes) return text;
  let result = "";
  let bytes = 0;
  for (const char of text) {
    const charBytes = Buffer.byteLength(char, "utf8");
    if (bytes + charBytes > maxBytes - 3) break;
    result += char;
    bytes += charBytes;
  }
  return `${result}...`;
}
