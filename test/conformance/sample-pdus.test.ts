/**
 * conformance/support/sample-pdus.ts is a hand-written example per message type, for scenarios
 * that send a type in the wrong state or from the wrong role. A type added to pdu.ksy without a
 * sample fails here, by name, and so does a sample the codec would refuse (a scenario would then
 * test the encoder instead of the server).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { samplePdu } from "../../conformance/support/sample-pdus.ts";
import { decode, encode, MESSAGE_TYPE_NAMES, SUPPORTED_VERSIONS } from "../../generated/index.ts";

describe("conformance sample PDUs", () => {
  for (const type of MESSAGE_TYPE_NAMES) {
    test(`${type} has a sample that encodes and decodes unchanged`, () => {
      for (const version of [0, ...SUPPORTED_VERSIONS]) {
        const pdu = samplePdu(type, version) as ReturnType<typeof samplePdu> | undefined;
        assert.ok(pdu !== undefined, `conformance/support/sample-pdus.ts has no sample of ${type}`);
        assert.equal(pdu.type, type);
        assert.equal(pdu.version, version);
        assert.deepEqual(decode(encode(pdu)), pdu);
      }
    });
  }
});
