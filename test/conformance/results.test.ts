/**
 * How scenario verdicts become requirement verdicts and the run's verdict: a failure pinned on a
 * cross-cutting requirement lands there and nowhere else, unsupported is kept apart from failed, and
 * SHOULD failures only fail a --strict run.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { buildReport, type ScenarioResult } from "../../conformance/support/results.ts";
import type { SpecRequirement } from "../../conformance/support/spec-requirements.ts";

const SPEC: SpecRequirement[] = [
  { id: "REQ-4.9", keyword: "MUST", level: "MUST", scope: "wire", text: "Header versions." },
  { id: "REQ-6.1", keyword: "MUST", level: "MUST", scope: "wire", text: "Echo the text." },
  { id: "REQ-5.5", keyword: "SHOULD", level: "SHOULD", scope: "wire", text: "Say where." },
  { id: "REQ-8.7", keyword: "MUST", level: "MUST", scope: "wire", text: "Newer types." },
  { id: "REQ-2.2", keyword: "SHOULD", level: "SHOULD", scope: "wire", text: "Port 55667." },
  { id: "REQ-7.1", keyword: "MUST", level: "MUST", scope: "client", text: "Clients ping." },
];

function scenario(
  name: string,
  tags: string[],
  verdict: ScenarioResult["verdict"],
  reason?: string,
) {
  const result: ScenarioResult = {
    name,
    feature: "x.feature",
    tags,
    level: tags.includes("@SHOULD") ? "SHOULD" : "MUST",
    requirements: tags.filter((t) => t.startsWith("@REQ-")).map((t) => t.slice(1)),
    verdict,
  };
  if (reason !== undefined) {
    result.reason = reason;
    const blame = /^\[(REQ-[\d.]+)\]/.exec(reason)?.[1];
    if (blame) result.blame = blame;
  }
  return result;
}

const run = { target: "t", strict: false, tags: "", filtered: false };

describe("conformance results", () => {
  test("a failure blamed on another requirement fails that one and leaves the cited one inconclusive", () => {
    const report = buildReport(
      [scenario("echo", ["@REQ-6.1", "@MUST"], "fail", "[REQ-4.9] wrong header version")],
      SPEC,
      run,
    );
    const byId = new Map(report.requirements.map((r) => [r.id, r]));
    assert.equal(byId.get("REQ-4.9")?.verdict, "fail");
    assert.equal(byId.get("REQ-6.1")?.verdict, "unsupported");
    assert.deepEqual(byId.get("REQ-6.1")?.scenarios, [{ name: "echo", verdict: "inconclusive" }]);
    assert.equal(report.conforms, false);
  });

  test("an unblamed failure fails every requirement the scenario cites", () => {
    const report = buildReport(
      [scenario("both", ["@REQ-6.1", "@REQ-4.9", "@MUST"], "fail", "boom")],
      SPEC,
      run,
    );
    assert.deepEqual(
      report.requirements.map((r) => [r.id, r.verdict]),
      [
        ["REQ-4.9", "fail"],
        ["REQ-6.1", "fail"],
      ],
    );
  });

  test("one passing scenario and one unsupported: the requirement passes; only unsupported: unsupported", () => {
    const report = buildReport(
      [
        scenario("a", ["@REQ-6.1", "@MUST"], "pass"),
        scenario("b", ["@REQ-6.1", "@MUST"], "unsupported", "needs v2"),
        scenario("c", ["@REQ-8.7", "@MUST"], "unsupported", "needs v2"),
      ],
      SPEC,
      run,
    );
    assert.deepEqual(
      report.requirements.map((r) => [r.id, r.verdict]),
      [
        ["REQ-6.1", "pass"],
        ["REQ-8.7", "unsupported"],
      ],
    );
    assert.equal(report.conforms, true);
  });

  test("a SHOULD failure fails only a strict run", () => {
    const scenarios = [scenario("text", ["@REQ-5.5", "@SHOULD"], "fail", "no text")];
    assert.equal(buildReport(scenarios, SPEC, run).conforms, true);
    assert.equal(buildReport(scenarios, SPEC, { ...run, strict: true }).conforms, false);
  });

  test("wire requirements no scenario judged are listed; client ones are not", () => {
    const report = buildReport([scenario("a", ["@REQ-6.1", "@MUST"], "pass")], SPEC, run);
    assert.deepEqual(
      report.notChecked.map((r) => r.id),
      ["REQ-4.9", "REQ-5.5", "REQ-8.7", "REQ-2.2"],
    );
  });
});
