/**
 * The console summary at the end of a run: each failed scenario's failure in full (its transcripts
 * included), once; then counts per level, every failed, expected-to-fail and unsupported requirement
 * with the scenario that decided it, the expected-failures entries that passed, and the verdict.
 */
import type {
  ConformanceReport,
  RequirementResult,
  RequirementVerdict,
  ScenarioResult,
} from "./results.ts";

export function formatSummary(report: ConformanceReport, reportsDir: string): string {
  const lines: string[] = [];
  const failures = report.scenarios.filter((s) => s.verdict === "fail" && !s.expected);
  if (failures.length > 0) lines.push("", "Failures:");
  failures.forEach((scenario, index) => {
    lines.push("", `${index + 1}) ${scenario.name} (${scenario.feature})`);
    lines.push(...indent(scenario.reason ?? "failed without a message"));
  });

  lines.push("", `Parrot conformance: ${report.target}`);
  if (report.tags) lines.push(`Tags: ${report.tags}`);
  lines.push("", "                        passed   failed   expected   unsupported");
  for (const level of ["MUST", "SHOULD"] as const) {
    lines.push(
      row(
        `${level} requirements`,
        report.requirements.filter((r) => r.level === level),
      ),
    );
    const scenarios = report.scenarios.filter((s) => s.level === level);
    lines.push(
      row(
        `${level} scenarios`,
        scenarios.map((s) => ({ verdict: s.expected ? "expected-fail" : s.verdict })),
      ),
    );
  }

  const sections: [string, RequirementVerdict][] = [
    ["Failed:", "fail"],
    [
      "Expected failures (listed in --expected-failures; they do not fail the run):",
      "expected-fail",
    ],
    ["Unsupported (could not be judged in this run):", "unsupported"],
  ];
  for (const [title, verdict] of sections) {
    const requirements = report.requirements.filter((r) => r.verdict === verdict);
    if (requirements.length === 0) continue;
    lines.push("", title);
    for (const requirement of requirements) lines.push(...describe(requirement, report, verdict));
  }
  const stale = report.expectedFailures.filter((e) => e.outcome === "unexpectedly passed");
  if (stale.length > 0) {
    lines.push("", "Unexpectedly passed (expected to fail; remove them from --expected-failures):");
    for (const entry of stale) {
      lines.push(`  ${entry.requirement ?? entry.scenario}: ${entry.reason}`);
      for (const name of entry.scenarios) lines.push(`    - passed: ${name}`);
    }
  }
  if (report.notChecked.length > 0 && report.filtered) {
    lines.push("", `${report.notChecked.length} requirement(s) not judged: this run was filtered.`);
  } else if (report.notChecked.length > 0) {
    lines.push(
      "",
      `Not judged by any scenario of this run: ${report.notChecked.map((r) => `${r.id} (${r.level})`).join(", ")}`,
    );
  }
  const failed = report.requirements.filter(
    (r) => r.verdict === "fail" && (report.strict || r.level !== "SHOULD"),
  );
  lines.push(
    "",
    `Reports: ${reportsDir}/report.html, ${reportsDir}/junit.xml, ${reportsDir}/requirements.json`,
    "",
    report.conforms
      ? `VERDICT: conforms${report.strict ? " (strict: every MUST and SHOULD judged passed)" : " (every MUST judged passed)"}`
      : `VERDICT: does NOT conform (${failed.length} requirement(s) failed${report.strict ? "" : " at MUST level"})`,
    "",
  );
  return lines.join("\n");
}

function row(label: string, items: readonly { verdict: RequirementVerdict }[]): string {
  const count = (verdict: RequirementVerdict) =>
    String(items.filter((i) => i.verdict === verdict).length);
  return (
    `  ${label.padEnd(22)}${count("pass").padStart(6)}${count("fail").padStart(9)}` +
    `${count("expected-fail").padStart(11)}${count("unsupported").padStart(14)}`
  );
}

function describe(
  requirement: RequirementResult,
  report: ConformanceReport,
  verdict: RequirementVerdict,
): string[] {
  const lines = [
    `  ${requirement.id} (${requirement.level ?? "?"}) ${requirement.summary ?? ""}`.trimEnd(),
  ];
  for (const scenario of report.scenarios) {
    if (!decides(scenario, requirement.id, verdict)) continue;
    const reason = (scenario.reason ?? "").split("\n")[0] ?? "";
    lines.push(`    - ${scenario.name}${reason ? `: ${reason}` : ""}`);
    if (verdict === "expected-fail" && scenario.expected) {
      const { reason: why, link } = scenario.expected;
      lines.push(`      expected: ${why}${link ? ` (${link})` : ""}`);
    }
  }
  return lines;
}

/** Whether `scenario` is one that gave `requirement` the verdict `verdict`. */
export function decides(
  scenario: ScenarioResult,
  requirement: string,
  verdict: RequirementVerdict,
): boolean {
  const own = scenario.expected ? "expected-fail" : scenario.verdict;
  if (own !== verdict) return false;
  if (scenario.blame !== undefined && own !== "pass" && own !== "unsupported") {
    return scenario.blame === requirement;
  }
  return scenario.requirements.includes(requirement);
}

function indent(text: string): string[] {
  return text.split("\n").map((line) => `   ${line}`.trimEnd());
}
