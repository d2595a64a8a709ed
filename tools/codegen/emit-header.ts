/**
 * Emits generated/header.ts: reading and writing the fixed frame header. Shared by the decoder and
 * the frame splitter, and exported for test peers that must craft frames the encoder refuses.
 */
import type { CodecModel } from "./codec-model.ts";
import { banner, lit } from "./emitted-file.ts";
import { outOfRange, readUint, writeUint } from "./int-io.ts";
import { OffsetExpr } from "./offset-expr.ts";

export function emitHeader(model: CodecModel): string {
  const at = (n: number) => new OffsetExpr(n);
  const atPos = (n: number) => new OffsetExpr(n, ["at"]);
  return `${banner(["spec/pdu.ksy"])}
import { Buffer } from "node:buffer";
import { HEADER_LENGTH, MAGIC, MAX_PAYLOAD_LENGTH } from "./constants.ts";
import { DecodeError, EncodeError } from "./decode-error.ts";

/** The fields of the fixed header. \`messageType\` is the raw number: it may be unknown. */
export interface FrameHeader {
  version: number;
  messageType: number;
  payloadLength: number;
}

/** True when the two bytes at \`at\` (which must exist) are not the magic number. */
export function isBadMagic(bytes: Uint8Array, at: number): boolean {
  return ${readUint("bytes", atPos(0), 2)} !== MAGIC;
}

export function badMagic(bytes: Uint8Array, at: number): DecodeError {
  const found = ${readUint("bytes", atPos(0), 2)};
  return new DecodeError(
    ${lit(model.magicError)},
    0,
    \`magic is 0x\${found.toString(16).padStart(4, "0")}, expected 0x\${MAGIC.toString(16)}\`,
  );
}

/** Reads the header fields at \`at\` (HEADER_LENGTH bytes must exist) without checking them. */
export function readHeader(bytes: Uint8Array, at: number): FrameHeader {
  return {
    version: ${readUint("bytes", atPos(2), 1)},
    messageType: ${readUint("bytes", atPos(3), 1)},
    payloadLength: ${readUint("bytes", atPos(4), 4)},
  };
}

/** The error for a header declaring more than MAX_PAYLOAD_LENGTH: refused before buffering. */
export function tooLarge(header: FrameHeader): DecodeError {
  return new DecodeError(
    ${lit(model.payloadLengthError)},
    4,
    \`payload_length \${header.payloadLength} exceeds \${MAX_PAYLOAD_LENGTH}\`,
    header.version,
    header.messageType,
  );
}

/**
 * Reads the header at the start of \`bytes\` (which may hold more). Throws DecodeError
 * ${model.magicError} or ${model.payloadLengthError}, the two faults after which a byte stream cannot be
 * framed (MALFORMED_PAYLOAD if fewer than HEADER_LENGTH bytes); an unknown message type is left to
 * decode().
 */
export function decodeHeader(bytes: Uint8Array): FrameHeader {
  if (bytes.length >= 2 && isBadMagic(bytes, 0)) throw badMagic(bytes, 0);
  if (bytes.length < HEADER_LENGTH) {
    throw new DecodeError(
      "MALFORMED_PAYLOAD",
      bytes.length,
      \`truncated header: \${bytes.length} of \${HEADER_LENGTH} bytes\`,
    );
  }
  const header = readHeader(bytes, 0);
  if (header.payloadLength > MAX_PAYLOAD_LENGTH) throw tooLarge(header);
  return header;
}

/**
 * Writes a bare header. Unlike encode() it accepts any message type and any payload length that
 * fits the field, so test peers can send frames a correct peer never sends.
 */
export function encodeHeader(header: FrameHeader): Buffer {
  const { version, messageType, payloadLength } = header;
  if (${outOfRange("version", 1)}) {
    throw new EncodeError("MALFORMED_PAYLOAD", \`version \${version} does not fit a u1\`);
  }
  if (${outOfRange("messageType", 1)}) {
    throw new EncodeError("MALFORMED_PAYLOAD", \`messageType \${messageType} does not fit a u1\`);
  }
  if (${outOfRange("payloadLength", 4)}) {
    throw new EncodeError("MALFORMED_PAYLOAD", \`payloadLength \${payloadLength} does not fit a u4\`);
  }
  const buf = Buffer.allocUnsafe(HEADER_LENGTH);
  writeHeader(buf, version, messageType, payloadLength);
  return buf;
}

/** Writes range-checked header fields at the start of \`buf\`. */
export function writeHeader(
  buf: Uint8Array,
  version: number,
  messageType: number,
  payloadLength: number,
): void {
${[
  ...writeUint("buf", at(0), 2, "MAGIC", "  "),
  ...writeUint("buf", at(2), 1, "version", "  "),
  ...writeUint("buf", at(3), 1, "messageType", "  "),
  ...writeUint("buf", at(4), 4, "payloadLength", "  "),
].join("\n")}
}
`;
}
