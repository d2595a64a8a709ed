/**
 * The console summary at the end of a run: counts per level, then every failed and unsupported
 * requirement with the scenario that decided it, then the verdict.
 */
import type { ConformanceReport, RequirementResult, ScenarioResult, Verdict } from "./results.ts";

export function formatSummary(report: ConformanceReport, reportsDir: string): string {
  const lines: string[] = ["", `Parrot conformance: ${report.target}`];
  if (report.tags) lines.push(`Tags: ${report.tags}`);
  lines.push("", "                        passed   failed   unsupported");
  for (const level of ["MUST", "SHOULD"] as const) {
    lines.push(
      row(
        `${level} requirements`,
        report.requirements.filter((r) => r.level === level),
      ),
    );
    lines.push(
      row(
        `${level} scenarios`,
        report.scenarios.filter((s) => s.level === level),
      ),
    );
  }

  const failed = report.requirements.filter((r) => r.verdict === "fail");
  if (failed.length > 0) {
    lines.push("", "Failed:");
    for (const requirement of failed)
      lines.push(...describe(requirement, report.scenarios, "fail"));
  }
  const unsupported = report.requirements.filter((r) => r.verdict === "unsupported");
  if (unsupported.length > 0) {
    lines.push("", "Unsupported (could not be judged in this run):");
    for (const requirement of unsupported) {
      lines.push(...describe(requirement, report.scenarios, "unsupported"));
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
  lines.push(
    "",
    `Reports: ${reportsDir}/report.html, ${reportsDir}/junit.xml, ${reportsDir}/requirements.json`,
    "",
    report.conforms
      ? `VERDICT: conforms${report.strict ? " (strict: every MUST and SHOULD judged passed)" : " (every MUST judged passed)"}`
      : `VERDICT: does NOT conform (${failed.filter((r) => report.strict || r.level !== "SHOULD").length} requirement(s) failed${report.strict ? "" : " at MUST level"})`,
    "",
  );
  return lines.join("\n");
}

function row(label: string, items: readonly { verdict: Verdict }[]): string {
  const count = (verdict: Verdict) => String(items.filter((i) => i.verdict === verdict).length);
  return `  ${label.padEnd(22)}${count("pass").padStart(6)}${count("fail").padStart(9)}${count("unsupported").padStart(14)}`;
}

function describe(
  requirement: RequirementResult,
  scenarios: readonly ScenarioResult[],
  verdict: Verdict,
): string[] {
  const lines = [
    `  ${requirement.id} (${requirement.level ?? "?"}) ${requirement.summary ?? ""}`.trimEnd(),
  ];
  for (const scenario of scenarios) {
    const cites =
      scenario.requirements.includes(requirement.id) || scenario.blame === requirement.id;
    if (scenario.verdict !== verdict || !cites) continue;
    if (verdict === "fail" && scenario.blame !== undefined && scenario.blame !== requirement.id)
      continue;
    const reason = (scenario.reason ?? "").split("\n")[0] ?? "";
    lines.push(`    - ${scenario.name}${reason ? `: ${reason}` : ""}`);
  }
  return lines;
}
