/**
 * sharedFrame: the bytes of one PDU object that a fan-out hands to many connections, encoded once
 * per header version however many recipients it reaches. The cache is keyed on the PDU object
 * (weakly), so it lives exactly as long as the fan-out holds that PDU.
 */
import { encode, type Pdu } from "../generated/index.ts";

/** A PDU without its header version: each recipient's connection decides that. */
export type UnversionedPdu = Pdu extends infer P
  ? P extends Pdu
    ? Omit<P, "version">
    : never
  : never;

const frames = new WeakMap<UnversionedPdu, Map<number, Uint8Array>>();

/** The frame of `pdu` with header version `version`; throws EncodeError as `encode` does. */
export function sharedFrame(pdu: UnversionedPdu, version: number): Uint8Array {
  let byVersion = frames.get(pdu);
  if (byVersion === undefined) {
    byVersion = new Map();
    frames.set(pdu, byVersion);
  }
  let frame = byVersion.get(version);
  if (frame === undefined) {
    frame = encode({ ...pdu, version } as Pdu);
    byVersion.set(version, frame);
  }
  return frame;
}
