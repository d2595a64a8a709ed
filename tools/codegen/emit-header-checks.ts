/**
 * Emits generated/header-checks.ts: the error code each header check reports, as pdu.ksy's
 * `-parrot-error` keys name them. The checks themselves are the hand-written codec/frame-header.ts;
 * only their codes are the spec's to decide.
 */
import type { CodecModel } from "./codec-model.ts";
import { banner, lit } from "./emitted-file.ts";

export function emitHeaderChecks(model: CodecModel): string {
  return `${banner(["spec/pdu.ksy"])}
import type { ErrorCodeName } from "./constants.ts";

/**
 * What each header check reports, in the order a receiver makes them (spec/README.md §8.2): the
 * magic as soon as two bytes are in, payload_length as soon as eight are, the message type only
 * once the whole frame is in.
 */
export const HEADER_ERRORS = {
  magic: ${lit(model.magicError)},
  payloadLength: ${lit(model.payloadLengthError)},
  messageType: ${lit(model.messageTypeError)},
} as const satisfies Record<string, ErrorCodeName>;
`;
}
