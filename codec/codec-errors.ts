/**
 * The two error values the codec throws. Hand-written: nothing in them depends on the spec except
 * the set of codes, which is the generated `ErrorCodeName` union.
 */
import type { ErrorCodeName } from "../generated/constants.ts";

/**
 * Bytes that are not a valid Parrot frame. `code` is the spec's error code for the fault: the
 * receiver sends it in an ERROR PDU and closes if the error table says so. `offset` is the byte
 * (from the start of the frame) where the fault was found. `version` and `messageType` are the
 * header's, set whenever the header had been read, so a receiver can answer in the right version.
 */
export class DecodeError extends Error {
  readonly code: ErrorCodeName;
  readonly offset: number;
  readonly reason: string;
  readonly version?: number;
  readonly messageType?: number;

  constructor(
    code: ErrorCodeName,
    offset: number,
    reason: string,
    version?: number,
    messageType?: number,
  ) {
    super(`${code} at byte ${offset}: ${reason}`);
    this.name = "DecodeError";
    this.code = code;
    this.offset = offset;
    this.reason = reason;
    if (version !== undefined) this.version = version;
    if (messageType !== undefined) this.messageType = messageType;
  }
}

/**
 * A PDU object that cannot be written as a valid frame (a string over its limit, a number out of
 * its field's range, an unknown enum name). `code` is the error code a decoder would report for
 * the bytes, had they been sent.
 */
export class EncodeError extends Error {
  readonly code: ErrorCodeName;
  readonly reason: string;

  constructor(code: ErrorCodeName, reason: string) {
    super(`${code}: ${reason}`);
    this.name = "EncodeError";
    this.code = code;
    this.reason = reason;
  }
}
