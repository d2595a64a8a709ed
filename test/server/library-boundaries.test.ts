// server/ and client/ are libraries under the command line and above the bytes (issue 9): nothing
// in them imports from cli/, and nothing in them encodes or decodes a PDU itself (transport/
// does). The conformance suite judges any implementation, so nothing it runs is ours: it reaches
// neither server/ nor client/, not even through what it imports.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
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
  test("server/, client/ and transport/ import nothing from cli/", () => {
    const fromCli = /from\s+["'](\.\.\/)+cli\//;
    assert.deepEqual(offenders(["server", "client", "transport"], fromCli), []);
  });

  test("server/ and client/ import neither encode nor decode from the codec", () => {
    const codecCalls = /\b(encode|encodeUnchecked|decode|FrameSplitter)\b/;
    const found = [...sourcesUnder("server"), ...sourcesUnder("client")].flatMap((file) =>
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

  test("conformance/ reaches nothing in server/ or client/, also through what it imports", () => {
    const reached = new Set<string>();
    const pending = sourcesUnder("conformance");
    const offending: string[] = [];
    for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
      if (reached.has(file)) continue;
      reached.add(file);
      const source = readFileSync(file, "utf8");
      for (const [, specifier] of source.matchAll(/(?:from|import)\s*\(?\s*"(\.[^"]+\.ts)"/g)) {
        const target = resolve(dirname(file), specifier ?? "");
        const where = relative(REPO, target);
        if (/^(server|client)\//.test(where)) offending.push(`${relative(REPO, file)} -> ${where}`);
        else pending.push(target);
      }
    }
    assert.ok(reached.size > 100, `only ${reached.size} files followed`);
    assert.deepEqual(offending, []);
  });
});
