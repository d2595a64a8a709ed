/**
 * Formats emitted TypeScript with the repository's pinned biome, so generated/ reads like the rest
 * of the code and its layout is fixed by the lock file rather than by how the emitters join lines.
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
/** biome reads its settings (indent, quotes, width) from biome.json at the repository root. */
const REPO = fileURLToPath(new URL("../../", import.meta.url));

export function formatTypeScript(name: string, source: string): string {
  const biome = require.resolve("@biomejs/biome/bin/biome");
  // The fake path only tells biome the language; generated/ itself is excluded from biome's config.
  const result = spawnSync(process.execPath, [biome, "format", `--stdin-file-path=${name}`], {
    cwd: REPO,
    input: source,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(`biome could not format generated ${name}:\n${result.stderr}${result.stdout}`);
  }
  return result.stdout;
}
