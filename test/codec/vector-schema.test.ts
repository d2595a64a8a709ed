/**
 * spec/vectors/*.json against spec/vectors/vectors.schema.json, which third-party implementers use
 * to load the vectors: the schema must accept the committed files and know every message type, so
 * a new PDU cannot get vectors the schema refuses (or silently lacks).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { ERROR_CODE_NAMES, MESSAGE_TYPE_NAMES } from "../../generated/index.ts";

const DIR = fileURLToPath(new URL("../../spec/vectors/", import.meta.url));
const read = (name: string): unknown => JSON.parse(readFileSync(DIR + name, "utf8"));

interface VectorSchema {
  definitions: Record<string, { properties?: { type?: { const?: string } }; enum?: string[] }> & {
    pdu: { oneOf: { $ref: string }[] };
  };
}

const schema = read("vectors.schema.json") as VectorSchema;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

for (const file of ["valid.json", "invalid.json"]) {
  test(`${file} matches vectors.schema.json`, () => {
    const ok = validate(read(file));
    assert.ok(ok, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
  });
}

test("the schema has a PDU shape for every message type and knows every error code", () => {
  const shapes = schema.definitions.pdu.oneOf.map((r) => {
    const name = r.$ref.replace("#/definitions/", "");
    return schema.definitions[name]?.properties?.type?.const;
  });
  assert.deepEqual([...shapes].sort(), [...MESSAGE_TYPE_NAMES].sort());
  assert.deepEqual(schema.definitions["errorCodeName"]?.enum, [...ERROR_CODE_NAMES]);
});

test("the schema refuses a vector whose PDU has a field its type does not have", () => {
  const valid = read("valid.json") as { vectors: { pdu: Record<string, unknown> }[] };
  const broken = structuredClone(valid);
  broken.vectors[0]!.pdu["extra"] = 1;
  assert.equal(validate(broken), false);
});
