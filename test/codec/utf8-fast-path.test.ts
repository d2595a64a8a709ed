/**
 * Differential test of the codec's string fast paths (codec/utf8-read.ts readUtf8 and scanUtf8,
 * the two-pass list decoder in generated/decode.ts, codec/utf8-write.ts writeUtf8) against the plain
 * Buffer path they replace: isUtf8 + toString("utf8") for reading, write(..., "utf8") for writing. Lengths straddle every
 * threshold of the fast paths (16 and 64), at any offset inside a larger buffer, ASCII and not.
 */
import assert from "node:assert/strict";
import { Buffer, isUtf8 } from "node:buffer";
import { describe, test } from "node:test";
import fc from "fast-check";
import { readUtf8, scanUtf8 } from "../../codec/utf8-read.ts";
import { writeUtf8 } from "../../codec/utf8-write.ts";
import { DecodeError, decode, encodeHeader, MessageType } from "../../generated/index.ts";

const RUNS = { numRuns: 2000 };

/** The plain path: undefined when not UTF-8, else what toString gives. */
function plainRead(buf: Buffer, start: number, end: number): string | undefined {
  return isUtf8(buf.subarray(start, end)) ? buf.toString("utf8", start, end) : undefined;
}

/** Bytes biased to the interesting cases: all ASCII, ASCII with one high byte, arbitrary. */
const bytes = fc.oneof(
  fc.uint8Array({ maxLength: 200 }).map((b) => b.map((x) => x & 0x7f)),
  fc
    .tuple(fc.uint8Array({ maxLength: 80 }), fc.nat(), fc.integer({ min: 0x80, max: 0xff }))
    .map(([b, at, hi]) => {
      const out = b.map((x) => x & 0x7f);
      if (out.length > 0) out[at % out.length] = hi;
      return out;
    }),
  fc.string({ unit: "binary", maxLength: 80 }).map((s) => new Uint8Array(Buffer.from(s, "utf8"))),
  fc.uint8Array({ maxLength: 200 }),
);

/** Strings biased the same way; "binary" units include lone surrogates. */
const strings = fc.oneof(
  fc.string({
    unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)),
    maxLength: 200,
  }),
  fc.string({ unit: "binary", maxLength: 100 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
);

describe("readUtf8 (decode fast path)", () => {
  test("agrees with isUtf8 + toString at every length and offset", () => {
    fc.assert(
      fc.property(bytes, fc.nat(8), fc.nat(8), (b, before, after) => {
        const buf = Buffer.alloc(before + b.length + after, 0x41);
        buf.set(b, before);
        const start = before;
        const end = before + b.length;
        assert.equal(readUtf8(buf, start, end), plainRead(buf, start, end));
      }),
      RUNS,
    );
  });

  test("every length across the thresholds, ASCII and with a high byte at each end", () => {
    for (let n = 0; n <= 70; n++) {
      const ascii = Buffer.alloc(n + 2, 0x7f);
      for (let i = 0; i < n + 2; i++) ascii[i] = 0x20 + ((i * 7) % 0x5f);
      assert.equal(readUtf8(ascii, 1, n + 1), plainRead(ascii, 1, n + 1), `ASCII ${n}`);
      if (n === 0) continue;
      for (const at of [1, n]) {
        for (const hi of [0x80, 0xc3, 0xff]) {
          const b = Buffer.from(ascii);
          b[at] = hi;
          assert.equal(
            readUtf8(b, 1, n + 1),
            plainRead(b, 1, n + 1),
            `${n} bytes, 0x${hi.toString(16)} at ${at}`,
          );
        }
      }
      const multi = Buffer.from("é".repeat(n), "utf8");
      assert.equal(readUtf8(multi, 0, multi.length), plainRead(multi, 0, multi.length));
      // A multi-byte sequence cut by the range's end is not UTF-8.
      assert.equal(readUtf8(multi, 0, multi.length - 1), undefined);
    }
  });
});

describe("scanUtf8 and the two-pass list decoder", () => {
  test("scanUtf8 says ASCII, UTF-8 or neither exactly as isUtf8 and a byte check do", () => {
    fc.assert(
      fc.property(bytes, fc.nat(8), (b, before) => {
        const buf = Buffer.alloc(before + b.length, 0x41);
        buf.set(b, before);
        const plain = !isUtf8(b) ? -1 : b.every((x) => x < 0x80) ? 1 : 0;
        assert.equal(scanUtf8(buf, before, before + b.length), plain);
      }),
      RUNS,
    );
  });

  /** A WHO_LIST frame with these raw name entries (room "r"), built by hand so names may be invalid. */
  function whoList(entries: Uint8Array[]): Buffer {
    const payload = Buffer.concat([
      Buffer.from([0, 0, 0, 7, 0, 1, 0x72, 0, 0, 0, entries.length, entries.length]),
      ...entries.flatMap((e) => [Buffer.from([e.length]), Buffer.from(e)]),
    ]);
    return Buffer.concat([
      encodeHeader({
        version: 2,
        messageType: MessageType.WHO_LIST,
        payloadLength: payload.length,
      }),
      payload,
    ]);
  }

  test("WHO_LIST names decode as toString does, or fail at the first bad entry", () => {
    const entry = fc.oneof(
      fc.uint8Array({ maxLength: 32 }).map((b) => b.map((x) => x & 0x7f)),
      fc
        .string({ unit: "grapheme", maxLength: 8 })
        .map((s) => new Uint8Array(Buffer.from(s, "utf8").subarray(0, 32))),
      fc.uint8Array({ maxLength: 32 }),
    );
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 12 }), (entries) => {
        const frame = whoList(entries);
        const bad = entries.findIndex((e) => !isUtf8(e));
        let result: unknown;
        try {
          result = decode(frame);
        } catch (e) {
          result = e;
        }
        if (bad < 0) {
          assert.ok(!(result instanceof Error), String(result));
          assert.deepEqual(
            (result as { names: string[] }).names,
            entries.map((e) => Buffer.from(e).toString("utf8")),
          );
        } else {
          assert.ok(
            result instanceof DecodeError && result.code === "INVALID_UTF8",
            String(result),
          );
          let at = 8 + 12;
          for (let i = 0; i < bad; i++) at += 1 + entries[i]!.length;
          assert.equal(result.offset, at + 1);
        }
      }),
      RUNS,
    );
  });
});

describe("messages with several strings (short ASCII ones cut from one latin1Slice of the payload)", () => {
  /** A LOGIN_REQUEST frame with these raw username and password bytes. */
  function loginRequest(user: Uint8Array, password: Uint8Array): Buffer {
    const payload = Buffer.concat([
      Buffer.from([user.length]),
      user,
      Buffer.from([password.length]),
      password,
    ]);
    return Buffer.concat([
      encodeHeader({
        version: 1,
        messageType: MessageType.LOGIN_REQUEST,
        payloadLength: payload.length,
      }),
      payload,
    ]);
  }

  test("LOGIN_REQUEST decodes as toString does, or fails at the first bad string", () => {
    const user = fc.oneof(
      fc.uint8Array({ maxLength: 32 }).map((b) => b.map((x) => x & 0x7f)),
      fc.uint8Array({ maxLength: 32 }),
    );
    const password = fc.oneof(
      fc.uint8Array({ maxLength: 128 }).map((b) => b.map((x) => x & 0x7f)),
      fc
        .string({ unit: "grapheme", maxLength: 30 })
        .map((s) => new Uint8Array(Buffer.from(s, "utf8").subarray(0, 128))),
      fc.uint8Array({ maxLength: 128 }),
    );
    fc.assert(
      fc.property(user, password, (u, p) => {
        let result: unknown;
        try {
          result = decode(loginRequest(u, p));
        } catch (e) {
          result = e;
        }
        if (!isUtf8(u) || !isUtf8(p)) {
          assert.ok(
            result instanceof DecodeError && result.code === "INVALID_UTF8",
            String(result),
          );
          assert.equal(result.offset, isUtf8(u) ? 10 + u.length : 9);
        } else {
          assert.ok(!(result instanceof Error), String(result));
          const pdu = result as { username: string; password: string };
          assert.equal(pdu.username, Buffer.from(u).toString("utf8"));
          assert.equal(pdu.password, Buffer.from(p).toString("utf8"));
        }
      }),
      RUNS,
    );
  });
});

describe("writeUtf8 (encode fast path)", () => {
  test("writeUtf8 writes exactly the bytes of Buffer.write, and nothing outside them", () => {
    fc.assert(
      fc.property(strings, fc.nat(8), fc.nat(8), (s, before, after) => {
        const n = Buffer.byteLength(s, "utf8");
        const fast = Buffer.alloc(before + n + after, 0xaa);
        writeUtf8(fast, s, before, n);
        const plain = Buffer.alloc(before + n + after, 0xaa);
        if (n > 0) plain.write(s, before, n, "utf8");
        assert.deepEqual(fast, plain);
        assert.deepEqual(fast.subarray(before, before + n), Buffer.from(s, "utf8"));
      }),
      RUNS,
    );
  });

  test("every length across the thresholds, ASCII and not", () => {
    for (let n = 0; n <= 70; n++) {
      for (const s of [
        "a".repeat(n),
        "a".repeat(n) + "é",
        "é" + "a".repeat(n),
        "\ud800".repeat(n),
      ]) {
        const len = Buffer.byteLength(s, "utf8");
        const buf = Buffer.alloc(len + 2, 0xaa);
        writeUtf8(buf, s, 1, len);
        assert.deepEqual(buf.subarray(1, len + 1), Buffer.from(s, "utf8"));
        assert.equal(buf[0], 0xaa);
        assert.equal(buf[len + 1], 0xaa);
      }
    }
  });
});
