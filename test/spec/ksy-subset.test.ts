/**
 * The generator supports exactly the Kaitai subset pdu.ksy uses and refuses anything else, naming
 * the YAML path, so a spec change never silently produces a codec that disagrees with Kaitai.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { MESSAGE_TYPE_NAMES } from "../../generated/index.ts";
import { parseKsy } from "../../tools/codegen/ksy-loader.ts";
import type { SpecError } from "../../tools/codegen/spec-error.ts";
import { editKsy, readKsyText, runGenerator, specCopy, tempDir, writeFile } from "./spec-copy.ts";
import { specFault } from "./spec-fault.ts";

function refusal(text: string): SpecError {
  return specFault(() => parseKsy(text, "pdu.ksy"), "the ksy was accepted");
}

describe("pdu.ksy subset", () => {
  test("the committed pdu.ksy is inside the subset", () => {
    const ksy = parseKsy(readKsyText(), "pdu.ksy");
    assert.equal(ksy.root.cases.length, MESSAGE_TYPE_NAMES.length);
  });

  const cases: [string, (string | number)[], unknown, string, RegExp][] = [
    [
      "a float field",
      ["types", "chat", "seq", 0, "type"],
      "f4",
      "types.chat.seq[0].type",
      /unsupported type "f4"/,
    ],
    ["process: zlib", ["seq", 1, "process"], "zlib", "seq[1].process", /outside the Kaitai subset/],
    [
      "instances outside the header",
      ["types", "ping", "instances"],
      { x: { pos: 0, type: "u1" } },
      "types.ping.instances",
      /outside/,
    ],
    [
      "a value instance",
      ["types", "header", "instances", "known_message_type", "value"],
      "message_type",
      "types.header.instances.known_message_type.value",
      /outside/,
    ],
    [
      "the message type checked on the header's seq field, before payload_length",
      ["types", "header", "seq", 2],
      { id: "message_type", type: "u1", enum: "message_type", valid: { "in-enum": true } },
      "types.header.seq[2]",
      /checked in an instance, after payload_length/,
    ],
    [
      "a body switching on the unchecked message type",
      ["seq", 1, "type", "switch-on"],
      "header.message_type",
      "seq[1].type.switch-on",
      /checked message type, so that the check comes after payload_length's/,
    ],
    [
      "a message type check at another offset",
      ["types", "header", "instances", "known_message_type", "pos"],
      2,
      "types.header.instances.known_message_type",
      /pos: 3/,
    ],
    ["a header without its own substream", ["seq", 0, "size"], undefined, "seq[0].size", /size: 8/],
    [
      "a str encoding override",
      ["types", "chat", "seq", 2, "encoding"],
      "ASCII",
      "types.chat.seq[2].encoding",
      /outside/,
    ],
    ["little-endian", ["meta", "endian"], "le", "meta.endian", /only "be"/],
    [
      "repeat: eos",
      ["types", "version_request", "seq", 1, "repeat"],
      "eos",
      "types.version_request.seq[1].repeat",
      /repeat: expr/,
    ],
    [
      "valid: any-of",
      ["types", "chat", "seq", 1, "valid"],
      { "any-of": [1, 2] },
      "types.chat.seq[1].valid.any-of",
      /not supported in valid/,
    ],
    [
      "an unknown Parrot extension",
      ["types", "chat", "seq", 1, "-parrot-limit"],
      3,
      "types.chat.seq[1].-parrot-limit",
      /unknown Parrot extension/,
    ],
    [
      "-parrot-error naming no error code",
      ["types", "chat", "seq", 1, "-parrot-error"],
      "too_long",
      "types.chat.seq[1].-parrot-error",
      /not an entry of enum error_code/,
    ],
    [
      "a size naming a later field",
      ["types", "chat", "seq", 2, "size"],
      "nothing",
      "types.chat.seq[2].size",
      /earlier field/,
    ],
    [
      "an enum field without in-enum",
      ["types", "error", "seq", 0, "valid"],
      undefined,
      "types.error.seq[0].valid",
      /in-enum/,
    ],
    [
      "a user type that is not repeated",
      ["types", "room_list", "seq", 3, "repeat"],
      undefined,
      "types.room_list.seq[3].type",
      /unsupported type "name_entry"/,
    ],
    [
      "a repeated u2",
      ["types", "version_request", "seq", 1, "type"],
      "u2",
      "types.version_request.seq[1].type",
      /only u1 and entry types may be repeated/,
    ],
    [
      "a repeated entry type with more than one string",
      ["types", "name_entry", "seq", 2],
      { id: "extra", type: "u1" },
      "types.name_entry.seq",
      /entry type .* must be exactly \[<integer length>, <str sized by it>\]/,
    ],
    [
      "a repeated entry type that does not exist",
      ["types", "who_list", "seq", 6, "type"],
      "nobody",
      "types.who_list.seq[6].type",
      /no type named "nobody"/,
    ],
    [
      "an entry type also used as a payload",
      ["seq", 1, "type", "cases", "message_type::logout"],
      "name_entry",
      "seq[1].type.cases.message_type::logout",
      /"name_entry" is an entry type and cannot be a payload/,
    ],
    [
      "an enum named like a type",
      ["enums", "room_event"],
      { 0: { id: "joined" } },
      "enums.room_event",
      /cannot share its name with the type "room_event"/,
    ],
    [
      "a message type without a case",
      ["seq", 1, "type", "cases", "message_type::pong"],
      undefined,
      "seq[1].type.cases",
      /pong has no case/,
    ],
  ];
  for (const [what, path, value, at, problem] of cases) {
    test(`refuses ${what} at ${at}`, () => {
      const e = refusal(editKsy(path, value));
      assert.equal(e.at, at, e.message);
      assert.match(e.message, problem);
      assert.match(e.message, /^pdu\.ksy:\d+: /, "names the file and line");
    });
  }

  test("make generate exits 1 on an unsupported construct, naming the YAML path", () => {
    const spec = specCopy();
    const out = tempDir("out");
    try {
      writeFile(spec, "pdu.ksy", editKsy(["types", "chat", "seq", 0, "type"], "f4"));
      const run = runGenerator(["--spec", spec.path, "--out", out.path]);
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, /pdu\.ksy:\d+: types\.chat\.seq\[0\]\.type: unsupported type "f4"/);
    } finally {
      spec.remove();
      out.remove();
    }
  });
});
