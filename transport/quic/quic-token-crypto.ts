/**
 * The crypto @matrixai/quic asks its caller for: HMAC-SHA256 for the server's address-validation
 * (retry) tokens, random bytes for the client's connection ids. node:crypto does both.
 */
import { createHmac, randomBytes, randomFillSync, timingSafeEqual } from "node:crypto";

function arrayBufferOf(bytes: Buffer): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

function hmac(key: ArrayBuffer, data: ArrayBuffer): Buffer {
  return createHmac("sha256", Buffer.from(key)).update(Buffer.from(data)).digest();
}

/** A fresh token key per listener: tokens need not outlive the process. */
export function serverCrypto() {
  return {
    key: arrayBufferOf(randomBytes(32)),
    ops: {
      sign: async (key: ArrayBuffer, data: ArrayBuffer) => arrayBufferOf(hmac(key, data)),
      verify: async (key: ArrayBuffer, data: ArrayBuffer, signature: ArrayBuffer) => {
        const expected = hmac(key, data);
        const given = Buffer.from(signature);
        return given.length === expected.length && timingSafeEqual(given, expected);
      },
    },
  };
}

export function clientCrypto() {
  return {
    ops: {
      randomBytes: async (data: ArrayBuffer) => {
        randomFillSync(new Uint8Array(data));
      },
    },
  };
}
