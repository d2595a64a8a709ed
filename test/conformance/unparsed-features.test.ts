/**
 * A feature file cucumber cannot parse never runs its scenarios; a run that then printed
 * "conforms" would judge less than it says. Cucumber's own parser, on a real broken file, must
 * make the run a suite error instead (conformance/support/results.ts).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { loadConfiguration, runCucumber } from "@cucumber/cucumber/api";
import { ResultCollector, refuseUnparsedFeatures } from "../../conformance/support/results.ts";

test("a feature file that does not parse makes the run a suite error, not a verdict", async () => {
  const dir = mkdtempSync(join(tmpdir(), "parrot-unparsed-"));
  try {
    writeFileSync(join(dir, "good.feature"), "Feature: good\n  Scenario: nothing\n");
    writeFileSync(
      join(dir, "broken.feature"),
      "Feature: broken\n  Scenario: one\n    Given a table\n      | a | b |\n      | c |\n",
    );
    const { runConfiguration } = await loadConfiguration(
      { provided: { paths: [join(dir, "*.feature")], format: [] } },
      { cwd: dir },
    );
    const collector = new ResultCollector();
    await runCucumber(runConfiguration, { cwd: dir }, (envelope) => collector.onMessage(envelope));
    assert.equal(collector.parseErrors.length, 1, collector.parseErrors.join("\n"));
    assert.match(collector.parseErrors[0]!, /broken\.feature/);
    assert.throws(() => refuseUnparsedFeatures(collector), /do not parse.*broken\.feature/s);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a run whose feature files all parse goes on to its verdict", () => {
  assert.doesNotThrow(() => refuseUnparsedFeatures(new ResultCollector()));
});
