/**
 * Hostile input: random bytes, truncations, bit flips, absurd declared lengths, arbitrary chunking.
 * decode() and FrameSplitter may only ever throw DecodeError, and whatever they accept must be a
 * frame our encoder would write byte for byte (and the Kaitai parser reads the same way).
 */
import assert from "node:assert/strict";
import { isUtf8 } from "node:buffer";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  DecodeError,
  decode,
  encode,
  encodeHeader,
  FrameSplitter,
  HEADER_LENGTH,
  MAX_PAYLOAD_LENGTH,
  type Pdu,
} from "../../generated/index.ts";
import { kaitaiView } from "./kaitai-view.ts";
import { anyPdu } from "./pdu-arbitraries.ts";
import { validVectors } from "./spec-vectors.ts";

/** Decodes, requiring that a refusal is a DecodeError and an acceptance is canonical. */
function decodeOrRefuse(bytes: Uint8Array): Pdu | DecodeError {
  let pdu: Pdu;
  try {
    pdu = decode(bytes);
  } catch (e) {
    assert.ok(e instanceof DecodeError, `decode threw ${String(e)}`);
    return e;
  }
  assert.equal(
    encode(pdu).toString("hex"),
    Buffer.from(bytes).toString("hex"),
    "accepted bytes must be canonical",
  );
  assert.deepEqual(kaitaiView(bytes).pdu, pdu, "Kaitai must read accepted bytes the same way");
  return pdu;
}

/** Feeds chunks, requiring that the splitter only ever throws DecodeError. */
function split(chunks: readonly Uint8Array[]): { frames: Buffer[]; error?: DecodeError } {
  const splitter = new FrameSplitter();
  const frames: Buffer[] = [];
  try {
    for (const c of chunks) {
      frames.push(...splitter.push(c));
      assert.ok(splitter.bufferedBytes <= HEADER_LENGTH + MAX_PAYLOAD_LENGTH);
    }
  } catch (e) {
    assert.ok(e instanceof DecodeError, `splitter threw ${String(e)}`);
    return { frames, error: e };
  }
  return { frames };
}

/** A frame with the right magic and a matching length but random type and payload. */
const plausibleFrame = fc
  .tuple(
    fc.integer({ min: 0, max: 255 }),
    fc.integer({ min: 0, max: 12 }),
    fc.uint8Array({ maxLength: 40 }),
  )
  .map(([version, messageType, payload]) =>
    Buffer.concat([encodeHeader({ version, messageType, payloadLength: payload.length }), payload]),
  );

/** Splits bytes at random points (possibly empty chunks). */
function chunked(bytes: Buffer): fc.Arbitrary<Buffer[]> {
  return fc
    .uniqueArray(fc.integer({ min: 0, max: bytes.length }), { maxLength: 12 })
    .map((cuts) => {
      const points = [0, ...cuts.sort((a, b) => a - b), bytes.length];
      return points.slice(1).map((end, i) => bytes.subarray(points[i]!, end));
    });
}

describe("decode on hostile bytes", () => {
  test("random bytes: only DecodeError, and anything accepted is canonical", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => void decodeOrRefuse(b)),
      {
        numRuns: 500,
      },
    );
  });

  test("random payloads behind a plausible header: only DecodeError, accepted means canonical", () => {
    fc.assert(
      fc.property(plausibleFrame, (b) => void decodeOrRefuse(b)),
      { numRuns: 2000 },
    );
  });

  test("string bytes are accepted exactly when they are UTF-8, short or long", () => {
    const bytesArb = fc.oneof(
      fc.uint8Array({ maxLength: 80 }),
      fc.uint8Array({ maxLength: 200 }).map((b) => b.map((x) => (x < 0xf0 ? x & 0x7f : x))),
      fc.string({ unit: "binary", maxLength: 40 }).map((t) => new Uint8Array(Buffer.from(t))),
    );
    fc.assert(
      fc.property(bytesArb, fc.uint8Array({ maxLength: 2 }), (text, prefix) => {
        const bytes = Buffer.concat([Buffer.from("a".repeat(prefix.length)), text]);
        const payload = Buffer.alloc(6 + bytes.length);
        payload.writeUInt32BE(1, 0);
        payload.writeUInt16BE(bytes.length, 4);
        bytes.copy(payload, 6);
        const frame = Buffer.concat([
          encodeHeader({ version: 1, messageType: 5, payloadLength: payload.length }),
          payload,
        ]);
        const result = decodeOrRefuse(frame);
        if (isUtf8(bytes)) assert.ok(!(result instanceof DecodeError), "valid UTF-8 was refused");
        else assert.ok(result instanceof DecodeError && result.code === "INVALID_UTF8");
      }),
      { numRuns: 1500 },
    );
  });

  test("every truncation of every valid vector is MALFORMED_PAYLOAD", () => {
    for (const v of validVectors()) {
      for (let k = 0; k < v.bytes.length; k++) {
        const result = decodeOrRefuse(v.bytes.subarray(0, k));
        assert.ok(result instanceof DecodeError, `${v.name} cut at ${k} was accepted`);
        assert.equal(result.code, "MALFORMED_PAYLOAD", `${v.name} cut at ${k}`);
      }
    }
  });

  test("truncations of random PDUs are refused, and a splitter keeps waiting for the rest", () => {
    fc.assert(
      fc.property(anyPdu, fc.nat(), (pdu, cut) => {
        const bytes = encode(pdu);
        const k = cut % bytes.length;
        const result = decodeOrRefuse(bytes.subarray(0, k));
        assert.ok(result instanceof DecodeError);
        assert.equal(result.code, "MALFORMED_PAYLOAD");
        const splitter = new FrameSplitter();
        assert.deepEqual(splitter.push(bytes.subarray(0, k)), []);
        assert.equal(splitter.bufferedBytes, k);
        assert.equal(splitter.push(bytes.subarray(k)).length, 1);
      }),
      { numRuns: 300 },
    );
  });

  test("single bit flips: refused with DecodeError or accepted canonically", () => {
    fc.assert(
      fc.property(anyPdu, fc.nat(), fc.integer({ min: 0, max: 7 }), (pdu, at, bit) => {
        const bytes = Buffer.from(encode(pdu));
        const i = at % bytes.length;
        bytes[i] = bytes[i]! ^ (1 << bit);
        decodeOrRefuse(bytes);
        split([bytes]);
      }),
      { numRuns: 1000 },
    );
  });

  test("a declared length over the maximum is FRAME_TOO_LARGE, whatever follows", () => {
    fc.assert(
      fc.property(fc.integer({ min: MAX_PAYLOAD_LENGTH + 1, max: 0x7fffffff }), (len) => {
        const frame = encodeHeader({ version: 1, messageType: 5, payloadLength: len });
        const result = decodeOrRefuse(Buffer.concat([frame, Buffer.alloc(16)]));
        assert.ok(result instanceof DecodeError);
        assert.equal(result.code, "FRAME_TOO_LARGE");
      }),
    );
  });
});

describe("FrameSplitter", () => {
  test("a header declaring 2^32-1 is refused after 8 bytes, with at most 8 bytes buffered", () => {
    const header = encodeHeader({ version: 1, messageType: 5, payloadLength: 0xffffffff });
    for (const chunks of [[header], [...header].map((b) => Uint8Array.of(b))]) {
      const splitter = new FrameSplitter();
      const last = chunks.pop()!;
      for (const c of chunks) assert.deepEqual(splitter.push(c), []);
      assert.throws(
        () => splitter.push(last),
        (e) => e instanceof DecodeError && e.code === "FRAME_TOO_LARGE",
      );
      assert.ok(splitter.bufferedBytes <= HEADER_LENGTH);
    }
  });

  test("after an error it is dead: every later push throws the same error", () => {
    const splitter = new FrameSplitter();
    let first: unknown;
    try {
      splitter.push(Buffer.from("GET / HTTP/1.1\r\n"));
    } catch (e) {
      first = e;
    }
    assert.ok(first instanceof DecodeError && first.code === "BAD_MAGIC");
    const ping = encode({ type: "PING", version: 1, token: 1 });
    assert.throws(
      () => splitter.push(ping),
      (e) => e === first,
    );
    assert.throws(
      () => splitter.push(ping),
      (e) => e === first,
    );
  });

  test("random bytes: only DecodeError, and every frame it yields has the length its header says", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 32 }), { maxLength: 8 }), (chunks) => {
        for (const f of split(chunks).frames) {
          assert.equal(f.length, HEADER_LENGTH + f.readUInt32BE(4));
        }
      }),
      { numRuns: 500 },
    );
  });

  test("chunking invariance: any split of a stream of PDUs yields the same frames", () => {
    fc.assert(
      fc.property(
        fc.array(anyPdu, { minLength: 1, maxLength: 6 }).chain((pdus) => {
          const stream = Buffer.concat(pdus.map((p) => encode(p)));
          return fc.tuple(fc.constant(pdus), fc.constant(stream), chunked(stream));
        }),
        ([pdus, stream, chunks]) => {
          const whole = split([stream]);
          const pieces = split(chunks);
          assert.equal(whole.error, undefined);
          assert.equal(pieces.error, undefined);
          assert.deepEqual(
            pieces.frames.map((f) => f.toString("hex")),
            whole.frames.map((f) => f.toString("hex")),
          );
          assert.deepEqual(
            pieces.frames.map((f) => decode(f)),
            pdus,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  test("frames whole inside one chunk are views of it, not copies", () => {
    const stream = Buffer.concat([
      encode({ type: "PING", version: 1, token: 7 }),
      encode({ type: "CHAT", version: 1, messageId: 1, text: "hi" }),
    ]);
    const frames = new FrameSplitter().push(stream);
    assert.equal(frames.length, 2);
    for (const f of frames) assert.equal(f.buffer, stream.buffer);
  });

  test("pushEach delivers the frames before a fault in the same chunk, then throws", () => {
    const ping = encode({ type: "PING", version: 1, token: 9 });
    const seen: Pdu[] = [];
    assert.throws(
      () =>
        new FrameSplitter().pushEach(Buffer.concat([ping, Buffer.from("XX")]), (f) =>
          seen.push(decode(f)),
        ),
      (e) => e instanceof DecodeError && e.code === "BAD_MAGIC",
    );
    assert.deepEqual(seen, [{ type: "PING", version: 1, token: 9 }]);
  });
});
