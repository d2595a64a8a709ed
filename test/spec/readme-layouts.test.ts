/**
 * The payload diagrams of spec/README.md (§3.1, §12.3) are drawn from pdu.ksy by `make generate`
 * (tools/codegen/spec-readme-layouts.ts): the committed ones are what it draws, every message type
 * with a payload has one, a change in the ksy reaches them, and a bad marker is a spec fault.
 */
import assert from "node:assert/strict";
import { cpSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { buildCodecModel, maxPayloadBytes } from "../../tools/codegen/codec-model.ts";
import { parseKsy } from "../../tools/codegen/ksy-loader.ts";
import { specReadme } from "../../tools/codegen/main.ts";
import { rewriteLayouts } from "../../tools/codegen/spec-readme-layouts.ts";
import {
  editKsy,
  readKsyText,
  runGenerator,
  SPEC_DIR,
  specCopy,
  tempDir,
  writeFile,
} from "./spec-copy.ts";
import { specFault } from "./spec-fault.ts";

const README = readFileSync(join(SPEC_DIR, "README.md"), "utf8");
const model = buildCodecModel(parseKsy(readKsyText(), "pdu.ksy"));
const BEGIN = /^<!-- layout of ([A-Z0-9_ ]+): written by make generate from pdu\.ksy -->$/gm;

/** The diagram block (between the fences) that follows the marker naming `type` first. */
function diagramOf(readme: string, type: string): string {
  const marker = readme.search(new RegExp(`<!-- layout of ${type}[ :]`));
  assert.ok(marker >= 0, `no layout block for ${type}`);
  const start = readme.indexOf("```\n", marker) + 4;
  return readme.slice(start, readme.indexOf("\n```", start));
}

describe("spec/README.md payload diagrams", () => {
  test("are what make generate draws from pdu.ksy (run make generate)", () => {
    assert.equal(specReadme(SPEC_DIR), README);
  });

  test("every message type with a payload has exactly one, and an empty payload none", () => {
    const named = [...README.matchAll(BEGIN)].flatMap((m) => m[1]!.trim().split(/\s+/));
    for (const m of model.messages) {
      const count = named.filter((n) => n === m.name).length;
      assert.equal(count, m.fields.length === 0 ? 0 : 1, `layout blocks naming ${m.name}`);
    }
  });

  test("draw each field's name over its size, lengths and counts included", () => {
    assert.equal(
      diagramOf(README, "CHAT"),
      [
        "+------------+-------------+------+",
        "| message_id | text_length | text |",
        "+------------+-------------+------+",
        "|     4      |      2      |  n   |",
        "+------------+-------------+------+",
      ].join("\n"),
    );
    assert.match(diagramOf(README, "ROOM_LIST"), /\| room_count x name_entry \|/);
    assert.match(diagramOf(README, "ROOM_LIST"), /name_entry:\n.*\n\| name_length \| name \|/);
  });

  test("a wide layout continues in a second box, each no wider than 80 columns", () => {
    const diagram = diagramOf(README, "WHO_LIST");
    assert.match(diagram, /\(continued\)/);
    for (const line of diagram.split("\n")) assert.ok(line.length <= 80, line);
  });

  test("follow a change in pdu.ksy", () => {
    const changed = buildCodecModel(
      parseKsy(editKsy(["types", "direct_status", "seq", 0, "type"], "u2"), "pdu.ksy"),
    );
    assert.ok(
      diagramOf(rewriteLayouts(README, changed, "README.md"), "DIRECT_STATUS").includes(
        "|     2      |   1    |",
      ),
    );
  });

  test("a marker naming an unknown type, or types of different layouts, is a spec fault", () => {
    const unknown = README.replace("<!-- layout of PING PONG:", "<!-- layout of PING PANG:");
    const e1 = specFault(() => rewriteLayouts(unknown, model, "README.md"), "accepted");
    assert.match(e1.message, /^README\.md:\d+: no message type PANG$/);
    const differ = README.replace("<!-- layout of PING PONG:", "<!-- layout of PING CHAT:");
    const e2 = specFault(() => rewriteLayouts(differ, model, "README.md"), "accepted");
    assert.match(e2.message, /^README\.md:\d+: CHAT's layout differs from PING's$/);
  });

  test("make generate redraws a diagram edited by hand", () => {
    const spec = specCopy();
    const out = tempDir("out");
    try {
      const path = join(spec.path, "README.md");
      cpSync(join(SPEC_DIR, "README.md"), path);
      writeFile(spec, "README.md", README.replace("| message_id | text_length |", "| id | len |"));
      const run = runGenerator(["--spec", spec.path, "--out", out.path]);
      assert.equal(run.status, 0, run.stderr);
      assert.equal(readFileSync(path, "utf8"), README);
    } finally {
      spec.remove();
      out.remove();
    }
  });
});

describe("payload sizes stated in spec/README.md prose", () => {
  const byName = new Map(model.messages.map((m) => [m.name, m]));

  test("§3.1's 'Payload sizes follow' gives each type's fixed bytes and one n per variable field", () => {
    const start = README.indexOf("Payload sizes follow:");
    const sentence = README.slice(start, README.indexOf(". ", start)).replace(/\s+/g, " ");
    const stated = [...sentence.matchAll(/((?:[A-Z_]+(?: and )?)+) `(\d+)((?: \+ n\d?)*)`/g)];
    const seen = new Set<string>();
    for (const [, names, fixed, terms] of stated) {
      for (const name of names!.split(" and ")) {
        const m = byName.get(name);
        assert.ok(m !== undefined, `no message type ${name}`);
        seen.add(name);
        const variable = m.fields.filter((f) => f.kind !== "int" && f.kind !== "length").length;
        assert.equal(Number(fixed), m.fixedBytes, `${name}: fixed bytes`);
        assert.equal((terms!.match(/n/g) ?? []).length, variable, `${name}: variable fields`);
      }
    }
    const v1 = model.messages.filter((m) => m.value < 0x20).map((m) => m.name);
    assert.deepEqual([...seen].sort(), v1.sort(), "every version-1 type, and only those");
  });

  test("the largest payloads named in §3.1 and §12.3 are the ksy's maxima", () => {
    assert.match(
      README,
      new RegExp(`a CHAT with 4096 bytes of text, ${maxPayloadBytes(byName.get("CHAT")!)} bytes`),
    );
    assert.match(
      README,
      new RegExp(`ROOM_MESSAGE \\(\`[^\`]*= ${maxPayloadBytes(byName.get("ROOM_MESSAGE")!)}\``),
    );
    assert.match(
      README,
      new RegExp(`full WHO_LIST \\(\`[^\`]*= ${maxPayloadBytes(byName.get("WHO_LIST")!)}\``),
    );
    const largest = Math.max(...model.messages.map(maxPayloadBytes));
    assert.ok(largest <= model.maxPayloadLength, `${largest} fits the frame limit`);
  });
});
