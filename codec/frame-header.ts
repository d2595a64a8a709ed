/**
 * The fixed 8-byte frame header: reading, checking and writing it. Hand-written because its layout
 * never changes (tools/codegen/ksy-loader.ts refuses a pdu.ksy whose header is not exactly magic u2,
 * version u1, message_type u1, payload_length u4); what the spec decides about it (the magic, the
 * payload bound, the code each check reports) comes from generated/.
 *
 * Shared by the generated decoders and encoders and by FrameSplitter, and exported for test peers
 * that must craft frames the encoder refuses.
 */
import { Buffer } from "node:buffer";
import { HEADER_LENGTH, MAGIC, MAX_PAYLOAD_LENGTH } from "../generated/constants.ts";
import { HEADER_ERRORS } from "../generated/header-checks.ts";
import { DecodeError, EncodeError } from "./codec-errors.ts";

/** The fields of the fixed header. `messageType` is the raw number: it may be unknown. */
export interface FrameHeader {
  version: number;
  messageType: number;
  payloadLength: number;
}

/** True when the two bytes at `at` (which must exist) are not the magic number. */
export function isBadMagic(bytes: Uint8Array, at: number): boolean {
  return ((bytes[at]! << 8) | bytes[at + 1]!) !== MAGIC;
}

export function badMagic(bytes: Uint8Array, at: number): DecodeError {
  const found = (bytes[at]! << 8) | bytes[at + 1]!;
  return new DecodeError(
    HEADER_ERRORS.magic,
    0,
    `magic is 0x${found.toString(16).padStart(4, "0")}, expected 0x${MAGIC.toString(16)}`,
  );
}

/** Reads the header fields at `at` (HEADER_LENGTH bytes must exist) without checking them. */
export function readHeader(bytes: Uint8Array, at: number): FrameHeader {
  return {
    version: bytes[at + 2]!,
    messageType: bytes[at + 3]!,
    // `* 0x1000000` instead of `<< 24` keeps the result unsigned above 2^31.
    payloadLength:
      bytes[at + 4]! * 0x1000000 +
      ((bytes[at + 5]! << 16) | (bytes[at + 6]! << 8) | bytes[at + 7]!),
  };
}

/** The error for a header declaring more than MAX_PAYLOAD_LENGTH: refused before buffering. */
export function tooLarge(header: FrameHeader): DecodeError {
  return new DecodeError(
    HEADER_ERRORS.payloadLength,
    4,
    `payload_length ${header.payloadLength} exceeds ${MAX_PAYLOAD_LENGTH}`,
    header.version,
    header.messageType,
  );
}

/** The error for a whole, well-framed frame whose message type the spec does not define. */
export function unknownMessageType(header: FrameHeader): DecodeError {
  return new DecodeError(
    HEADER_ERRORS.messageType,
    3,
    `message_type ${header.messageType} is not defined`,
    header.version,
    header.messageType,
  );
}

function truncatedHeader(length: number): DecodeError {
  return new DecodeError(
    "MALFORMED_PAYLOAD",
    length,
    `truncated header: ${length} of ${HEADER_LENGTH} bytes`,
  );
}

/**
 * Reads the header at the start of `bytes` (which may hold more). Throws the DecodeError of the two
 * faults after which a byte stream cannot be framed, bad magic and an oversize payload_length
 * (MALFORMED_PAYLOAD if fewer than HEADER_LENGTH bytes); an unknown message type is left to decode().
 */
export function decodeHeader(bytes: Uint8Array): FrameHeader {
  if (bytes.length >= 2 && isBadMagic(bytes, 0)) throw badMagic(bytes, 0);
  if (bytes.length < HEADER_LENGTH) throw truncatedHeader(bytes.length);
  const header = readHeader(bytes, 0);
  if (header.payloadLength > MAX_PAYLOAD_LENGTH) throw tooLarge(header);
  return header;
}

/**
 * decode()'s first step on a frame that should be exactly one whole frame: decodeHeader's checks,
 * then that the frame holds exactly the payload_length bytes its header declares. The message type
 * is checked after this (spec/README.md §8.2: the length bound always comes first).
 */
export function readWholeFrameHeader(frame: Uint8Array): FrameHeader {
  const header = decodeHeader(frame);
  const end = frame.length;
  const size = HEADER_LENGTH + header.payloadLength;
  if (end !== size) {
    throw new DecodeError(
      "MALFORMED_PAYLOAD",
      Math.min(end, size),
      `payload_length ${header.payloadLength} does not match the ${end - HEADER_LENGTH} payload bytes in the frame`,
      header.version,
      header.messageType,
    );
  }
  return header;
}

/**
 * Writes a bare header. Unlike encode() it accepts any message type and any payload length that
 * fits the field, so test peers can send frames a correct peer never sends.
 */
export function encodeHeader(header: FrameHeader): Buffer {
  const { version, messageType, payloadLength } = header;
  if ((version & 0xff) !== version) {
    throw new EncodeError("MALFORMED_PAYLOAD", `version ${version} does not fit a u1`);
  }
  if ((messageType & 0xff) !== messageType) {
    throw new EncodeError("MALFORMED_PAYLOAD", `messageType ${messageType} does not fit a u1`);
  }
  if (payloadLength >>> 0 !== payloadLength) {
    throw new EncodeError("MALFORMED_PAYLOAD", `payloadLength ${payloadLength} does not fit a u4`);
  }
  const buf = Buffer.allocUnsafe(HEADER_LENGTH);
  writeHeader(buf, version, messageType, payloadLength);
  return buf;
}

/** Writes range-checked header fields at the start of `buf` (Uint8Array stores keep the low 8 bits). */
export function writeHeader(
  buf: Uint8Array,
  version: number,
  messageType: number,
  payloadLength: number,
): void {
  buf[0] = MAGIC >>> 8;
  buf[1] = MAGIC;
  buf[2] = version;
  buf[3] = messageType;
  buf[4] = payloadLength >>> 24;
  buf[5] = payloadLength >>> 16;
  buf[6] = payloadLength >>> 8;
  buf[7] = payloadLength;
}
