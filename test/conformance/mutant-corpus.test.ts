/**
 * The planted-bug corpus of `make conformance-mutants` stays usable: every patch still finds its text
 * exactly once in the reference as it is now, every mutant has its own id and names a requirement a
 * server is judged on. (Running the corpus is `make conformance-mutants`, not part of `make test`.)
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { readSpecRequirements } from "../../conformance/support/spec-requirements.ts";
import { MUTANTS } from "./mutants/corpus.ts";
import { checkPatch } from "./mutants/mutant-tree.ts";

test("every planted fault still applies, has its own id and names a wire requirement", () => {
  assert.ok(MUTANTS.length >= 60, `only ${MUTANTS.length} mutants`);
  const wire = new Set(
    readSpecRequirements()
      .filter((r) => r.scope === "wire")
      .map((r) => r.id),
  );
  const ids = new Set<string>();
  for (const mutant of MUTANTS) {
    assert.ok(!ids.has(mutant.id), `${mutant.id} twice`);
    ids.add(mutant.id);
    assert.ok(wire.has(mutant.breaks), `${mutant.id}: ${mutant.breaks} is not a wire requirement`);
    assert.ok(mutant.patches.length > 0, `${mutant.id} plants nothing`);
    for (const patch of mutant.patches) checkPatch(patch);
  }
});
