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
        assert.deepEqual(kaitai.pdu, withoutLeadingBom(pdu));
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

/**
 * Kaitai's JavaScript runtime decodes strings with `new TextDecoder("utf-8")`, which drops a
 * leading U+FEFF (a byte-order mark): a quirk of that runtime, not of the spec, where a string is
 * its bytes. Our decoder keeps it (asserted above); the Kaitai side is compared without it.
 */
function withoutLeadingBom<T>(value: T): T {
  if (typeof value === "string") return (value.startsWith("\uFEFF") ? value.slice(1) : value) as T;
  if (Array.isArray(value)) return value.map(withoutLeadingBom) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, field]) => [key, withoutLeadingBom(field)]),
    ) as T;
  }
  return value;
}
