/** Emits generated/index.ts: the codec's public surface, one import for server, client and tests. */
import { banner } from "./emitted-file.ts";

export function emitIndex(): string {
  return `${banner(["spec/pdu.ksy", "spec/protocol.json"])}
export * from "./constants.ts";
export { DecodeError, EncodeError } from "./decode-error.ts";
export { decode } from "./decode.ts";
export { encode, encodeUnchecked } from "./encode.ts";
export { FrameSplitter } from "./frame-splitter.ts";
export { decodeHeader, encodeHeader, type FrameHeader } from "./header.ts";
export type * from "./pdu-types.ts";
export * from "./protocol.ts";
`;
}
