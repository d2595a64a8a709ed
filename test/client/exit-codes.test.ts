// The exit codes are an interface scripts depend on: README.md documents them and must say the
// same as the table the client exits with (cells padded as biome formats markdown tables).
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { ExitCode } from "../../cli/client/exit-codes.ts";
import { REPO_ROOT } from "./client-process.ts";

test("README's 'Client exit codes' table lists exactly the codes the client uses", async () => {
  const readme = await readFile(`${REPO_ROOT}README.md`, "utf8");
  const section = readme.split(/^## Client exit codes$/m)[1]?.split(/^## /m)[0];
  assert.ok(section !== undefined, "README.md has a '## Client exit codes' section");
  const documented = [...section.matchAll(/^\| (\d+) +\|/gm)].map((match) => Number(match[1]));
  assert.deepEqual(documented, Object.values(ExitCode));
});
