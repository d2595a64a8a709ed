/**
 * Our generated codec against the Kaitai compiler's parser of the same pdu.ksy, on random PDUs of
 * every type: both must read our bytes as the PDU we encoded, and re-encoding must be byte-exact.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { decode, encode, MESSAGE_TYPE_NAMES } from "../../generated/index.ts";
import { kaitaiView } from "./kaitai-view.ts";
import { pduArbitraries } from "./pdu-arbitraries.ts";

for (const type of MESSAGE_TYPE_NAMES) {
  test(`${type}: encode -> decode (ours and Kaitai) -> encode is the identity`, () => {
    fc.assert(
      fc.property(pduArbitraries[type], (pdu) => {
        const bytes = encode(pdu);
        assert.deepEqual(decode(bytes), pdu);
        const kaitai = kaitaiView(bytes);
        assert.deepEqual(kaitai.pdu, pdu);
        assert.deepEqual(kaitai.lengthMismatches, []);
        assert.ok(encode(decode(bytes)).equals(bytes));
      }),
      { numRuns: 150 },
    );
  });
}

test("every message type has an arbitrary", () => {
  assert.deepEqual(Object.keys(pduArbitraries).sort(), [...MESSAGE_TYPE_NAMES].sort());
});
