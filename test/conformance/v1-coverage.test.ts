/**
 * A version 1 server must be judgeable on every version 1 rule: each MUST of spec/README.md §2-§11
 * that binds servers on the wire is cited by at least one @v1 scenario, not only by @v2 ones (which a
 * version 1 server reports unsupported, so a bug there would pass it).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { listScenarios } from "../../conformance/support/scenario-catalogue.ts";
import { readSpecRequirements } from "../../conformance/support/spec-requirements.ts";

test("every version 1 MUST a server is bound by over the wire is cited by a @v1 scenario", async () => {
  const scenarios = await listScenarios("@v1");
  const cited = new Set(
    scenarios.flatMap((s) => s.tags.filter((t) => t.startsWith("@REQ-")).map((t) => t.slice(1))),
  );
  const section = (id: string) => Number(id.slice("REQ-".length).split(".")[0]);
  const uncited = readSpecRequirements()
    .filter((r) => r.level === "MUST" && r.scope === "wire" && section(r.id) <= 11)
    .filter((r) => !cited.has(r.id))
    .map((r) => `${r.id}: ${r.text}`);
  assert.deepEqual(uncited, []);
});
