/**
 * Emits generated/index.ts: the codec's public surface, one import for server, client and tests. It
 * re-exports the hand-written runtime (codec/) beside what was generated, so callers never need to
 * know which half a name lives in.
 */
import { banner } from "./emitted-file.ts";

export function emitIndex(): string {
  return `${banner(["spec/pdu.ksy", "spec/protocol.json"])}
export { classify } from "../codec/classify.ts";
export { DecodeError, EncodeError } from "../codec/codec-errors.ts";
export { decodeHeader, encodeHeader, type FrameHeader } from "../codec/frame-header.ts";
export { FrameSplitter } from "../codec/frame-splitter.ts";
export type { Classification } from "./classification.ts";
export * from "./constants.ts";
export { decode } from "./decode.ts";
export { encode, encodeUnchecked } from "./encode.ts";
export type * from "./pdu-types.ts";
export * from "./protocol.ts";
`;
}
