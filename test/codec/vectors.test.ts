/**
 * spec/vectors against the generated codec and against the Kaitai compiler's parser of the same
 * pdu.ksy: both must read every valid vector the same way, and refuse the invalid ones with the
 * code (ours) or where Kaitai can express the rule.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  DecodeError,
  decode,
  encode,
  FrameSplitter,
  MESSAGE_TYPE_NAMES,
} from "../../generated/index.ts";
import { kaitaiRefusal } from "./kaitai-refusal.ts";
import { kaitaiView } from "./kaitai-view.ts";
import { invalidVectors, validVectors } from "./spec-vectors.ts";

const valid = validVectors();
const invalid = invalidVectors();

function decodeError(run: () => unknown): DecodeError {
  try {
    run();
  } catch (e) {
    assert.ok(e instanceof DecodeError, `expected DecodeError, got ${String(e)}`);
    return e;
  }
  assert.fail("expected a DecodeError, nothing was thrown");
}

describe("valid vectors", () => {
  test("there is at least one valid vector per message type", () => {
    const covered = new Set(valid.map((v) => v.pdu.type));
    assert.deepEqual(
      MESSAGE_TYPE_NAMES.filter((t) => !covered.has(t)),
      [],
      "message types without a valid vector",
    );
  });

  for (const v of valid) {
    test(v.name, () => {
      assert.deepEqual(decode(v.bytes), v.pdu, "decode(hex) must equal pdu");
      assert.equal(
        encode(v.pdu).toString("hex"),
        v.bytes.toString("hex"),
        "encode(pdu) must equal hex",
      );

      const kaitai = kaitaiView(v.bytes);
      assert.deepEqual(kaitai.pdu, v.pdu, "the Kaitai parser must read the same values");
      assert.deepEqual(kaitai.lengthMismatches, []);

      // One byte at a time through the splitter: exactly this frame comes out, and nothing is left.
      const splitter = new FrameSplitter();
      const frames = [...v.bytes].flatMap((b) => splitter.push(Uint8Array.of(b)));
      assert.equal(frames.length, 1);
      assert.deepEqual(decode(frames[0]!), v.pdu);
      assert.equal(splitter.bufferedBytes, 0);
    });
  }
});

describe("invalid vectors", () => {
  for (const v of invalid) {
    test(`${v.name} -> ${v.error}`, () => {
      assert.equal(decodeError(() => decode(v.bytes)).code, v.error);

      if (v.kaitai === "rejects") {
        // The same code, so the Kaitai parser also checks in the order of §8.2.
        assert.equal(kaitaiRefusal(v.bytes), v.error, "the Kaitai parser must refuse it alike");
      } else {
        // "accepts" marks rules Kaitai cannot express; if Kaitai starts refusing, update the flag.
        assert.equal(kaitaiRefusal(v.bytes), undefined, "the Kaitai parser accepts it");
      }

      // Through a splitter, whole and byte by byte: a framing error is thrown by the splitter,
      // anything else by decode() of the frame it yields; a truncated frame yields nothing.
      for (const chunks of [[v.bytes], [...v.bytes].map((b) => Uint8Array.of(b))]) {
        const splitter = new FrameSplitter();
        const frames: Uint8Array[] = [];
        let error: DecodeError | undefined;
        try {
          for (const c of chunks) frames.push(...splitter.push(c));
        } catch (e) {
          assert.ok(e instanceof DecodeError);
          error = e;
        }
        if (error === undefined) {
          error = frames.length === 0 ? undefined : decodeError(() => decode(frames[0]!));
        }
        if (error === undefined) {
          assert.ok(splitter.bufferedBytes > 0, "a frame that never completes stays buffered");
        } else {
          assert.equal(error.code, v.error);
        }
      }
    });
  }

  test("the splitter refuses framing errors as early as the spec says", () => {
    for (const v of invalid.filter(
      (x) => x.error === "BAD_MAGIC" || x.error === "FRAME_TOO_LARGE",
    )) {
      const splitter = new FrameSplitter();
      const needed = v.error === "BAD_MAGIC" ? 2 : 8;
      for (let i = 0; i < needed - 1; i++) splitter.push(v.bytes.subarray(i, i + 1));
      const e = decodeError(() => splitter.push(v.bytes.subarray(needed - 1, needed)));
      assert.equal(e.code, v.error, v.name);
    }
  });
});
