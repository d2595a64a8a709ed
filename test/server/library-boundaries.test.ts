// server/ is a library under the command line and above the bytes (issue 9): nothing in it
// imports from cli/, and nothing in it encodes or decodes a PDU itself (transport/ does).
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, test } from "node:test";

const REPO = new URL("../..", import.meta.url).pathname;

function sourcesUnder(dir: string): string[] {
  return readdirSync(join(REPO, dir), { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".ts"))
    .map((name) => join(REPO, dir, name));
}

function offenders(dirs: string[], pattern: RegExp): string[] {
  return dirs.flatMap(sourcesUnder).flatMap((file) =>
    readFileSync(file, "utf8")
      .split("\n")
      .map((line, index) => ({ line, index }))
      .filter(({ line }) => pattern.test(line))
      .map(({ line, index }) => `${relative(REPO, file)}:${index + 1}: ${line.trim()}`),
  );
}

describe("library boundaries", () => {
  test("server/ and transport/ import nothing from cli/", () => {
    assert.deepEqual(offenders(["server", "transport"], /from\s+["'](\.\.\/)+cli\//), []);
  });

  test("server/ imports neither encode nor decode from the codec", () => {
    const codecCalls = /\b(encode|encodeUnchecked|decode|FrameSplitter)\b/;
    const found = sourcesUnder("server").flatMap((file) =>
      [
        ...readFileSync(file, "utf8").matchAll(
          /import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*"([^"]+)"/g,
        ),
      ]
        .filter(([, names, from]) => from?.includes("generated/") && codecCalls.test(names ?? ""))
        .map(([statement]) => `${relative(REPO, file)}: ${statement?.replace(/\s+/g, " ")}`),
    );
    assert.deepEqual(found, []);
  });
});
