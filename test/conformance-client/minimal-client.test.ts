/**
 * The minimal client (minimal-client.ts: generated codec and transport/ only, through the contract
 * wrapper) is a second implementation of the client contract: it passes every client scenario it
 * can be judged on, and the ones that need the contract's command lines, which it does not declare,
 * are unsupported, not failed. It declares version 3 and a reconnecting command, so the v3
 * scenarios are judged too. The run writes every report a server run does.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import {
  MINIMAL_CLIENT,
  minimalClientArgs,
  mismatches,
  runClientSuite,
} from "./client-suite-run.ts";

test("the minimal client conforms; the command-line scenarios are unsupported", async () => {
  const run = await runClientSuite(MINIMAL_CLIENT, minimalClientArgs());
  const wrong = mismatches(run, (scenario) =>
    scenario.tags.includes("@commands") ? "unsupported" : "pass",
  );
  assert.deepEqual(wrong, []);
  assert.equal(run.code, 0, run.stdout);
  assert.match(run.stdout, /VERDICT: conforms/);
  for (const report of ["report.html", "junit.xml", "requirements.json"]) {
    assert.ok(existsSync(join(run.reportsDir, report)), `${report} was not written`);
  }
  assert.match(run.stdout, /Unsupported \(could not be judged in this run\):/);
  // The suite's own report, as a server run writes it, naming the client and what it declares.
  const html = readFileSync(join(run.reportsDir, "report.html"), "utf8");
  assert.match(html, /<title>Parrot conformance: Conforms — client sh test\/conformance-client/);
  assert.match(html, /declares: exit codes, version 3, reconnects/);
});
