/**
 * The whole conformance suite over WebSocket (`--transport ws`) against the reference server it
 * launches with --ws-port: every scenario of §2-§12 runs over the WebSocket binding unchanged, and
 * the binding's own scenarios (websocket-binding.feature, spec §2.3) are judged, not unsupported.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { readSpecRequirements } from "../../conformance/support/spec-requirements.ts";
import { JUDGED_ACROSS_NODES_ONLY } from "./across-nodes-requirements.ts";
import { LOADED_MACHINE_ARGS, runSuite } from "./run-suite.ts";
import { judgedOnlyOver } from "./transport-bound-requirements.ts";

test("the whole suite over WebSocket passes against the reference server", async () => {
  // cluster.feature needs several targets: judged in several-targets.test.ts.
  const run = await runSuite([
    "--transport",
    "ws",
    "--tags",
    "not @quic and not @cluster",
    ...LOADED_MACHINE_ARGS,
  ]);
  const report = run.report;
  assert.ok(report, `no report; stderr:\n${run.stderr}`);
  assert.match(run.stdout, /Judging 127\.0\.0\.1:\d+ \(ws\): .*with --ws-port/);
  const notPassed = report.scenarios
    .filter((s) => s.verdict !== "pass")
    .map((s) => `${s.name}: ${s.verdict} ${s.reason ?? ""}`);
  assert.deepEqual(notPassed, [], "scenarios that did not pass over WebSocket");
  assert.equal(run.code, 0, run.stdout.slice(-3000));

  const judged = new Map(report.requirements.map((r) => [r.id, r.verdict]));
  const quicOnly = await judgedOnlyOver(["@quic"]);
  for (const requirement of readSpecRequirements()) {
    if (requirement.scope !== "wire" || requirement.level !== "MUST") continue;
    if (quicOnly.has(requirement.id)) continue;
    if (JUDGED_ACROSS_NODES_ONLY.has(requirement.id)) continue;
    const verdict = judged.get(requirement.id) ?? "not judged";
    assert.equal(verdict, "pass", `${requirement.id} is ${verdict}: ${requirement.text}`);
  }
  for (const id of ["REQ-2.10", "REQ-2.11", "REQ-2.12", "REQ-2.13", "REQ-2.14", "REQ-2.15"]) {
    assert.equal(judged.get(id), "pass", id);
  }
});
