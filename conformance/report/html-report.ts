/**
 * report.html: the page a person opens after a run, modelled on Autobahn|Testsuite's index. It leads
 * with the verdict, the target and the spec it was judged against; then a requirement × verdict matrix,
 * chapter by chapter, each requirement linked to its section of spec/README.md and each failed scenario
 * to its failure and transcripts further down; then what was unsupported, expected to fail or not judged.
 *
 * Everything that comes from the run is text, never markup: scenario names, failure messages and above
 * all transcripts, which hold whatever the server under test sent (PDU texts). `escapeHtml` is applied to
 * every interpolated value; the page has no script.
 */
import type { ConformanceReport, RequirementResult, ScenarioResult } from "../support/results.ts";
import { REPORT_STYLE } from "./report-style.ts";

export interface ReportContext {
  /** The protocol versions the spec defines. */
  specVersions: readonly number[];
  /** A short digest of spec/README.md, so a report says exactly which text judged. */
  specDigest: string;
  /** spec/README.md relative to the report, for links. */
  specHref: string;
  generatedAt: Date;
  /** What was judged, in words (the launch command, or "a running server"). */
  description?: string;
}

const VERDICT_LABELS: Record<string, string> = {
  pass: "pass",
  fail: "fail",
  "expected-fail": "expected fail",
  unsupported: "unsupported",
  inconclusive: "inconclusive",
};

/** Text as HTML text or attribute value. */
export function escapeHtml(value: unknown): string {
  return String(value)
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** The anchor of a scenario's details: its position in the run. */
export function scenarioAnchor(index: number): string {
  return `scenario-${index + 1}`;
}

export function renderHtmlReport(report: ConformanceReport, context: ReportContext): string {
  const anchors = new Map(report.scenarios.map((s, i) => [s, scenarioAnchor(i)]));
  const detailed = report.scenarios.filter((s) => s.verdict === "fail");
  const verdict = report.conforms ? "Conforms" : "Does NOT conform";
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`Parrot conformance: ${verdict} — ${report.target}`)}</title>
<style>${REPORT_STYLE}</style>
</head>
<body>
<header class="verdict ${report.conforms ? "conforms" : "fails"}" id="verdict">
  <h1>${escapeHtml(verdict)} <span class="target">${escapeHtml(report.target)}</span></h1>
  <p class="explain">${explainVerdict(report)}</p>
</header>
<main>
<div class="overview">
${renderRunFacts(report, context)}
${renderCounts(report)}
</div>
${renderGlance(report)}
<section id="matrix">
<h2>Requirements</h2>
<table class="matrix">
<thead><tr><th>Requirement</th><th>Level</th><th>Verdict</th><th>What it says</th><th>Scenarios</th></tr></thead>
<tbody>
${renderMatrixRows(report, context, anchors)}
</tbody>
</table>
</section>
${renderExpectedFailures(report)}
${renderNotChecked(report, context)}
<section id="failures">
<h2>Failed scenarios</h2>
${detailed.length === 0 ? "<p>None.</p>" : detailed.map((s) => renderFailure(s, anchors.get(s)!)).join("\n")}
</section>
</main>
</body>
</html>
`;
}

/** The verdict in a sentence (HTML: the failed requirements link to their rows). */
function explainVerdict(report: ConformanceReport): string {
  const failed = report.requirements.filter((r) => r.verdict === "fail");
  const counted = failed.filter((r) => report.strict || r.level !== "SHOULD");
  if (report.conforms) {
    const judged = report.requirements.filter((r) => r.verdict !== "unsupported").length;
    return escapeHtml(
      `No ${report.strict ? "MUST or SHOULD" : "MUST"} requirement failed (${judged} requirements judged).`,
    );
  }
  const links = counted.map((r) => `<a href="#${escapeHtml(r.id)}">${escapeHtml(r.id)}</a>`);
  return `${counted.length} ${report.strict ? "" : "MUST "}requirement(s) failed: ${links.join(", ")}.`;
}

/**
 * Every requirement at a glance, a coloured cell each, chapter by chapter (Autobahn|Testsuite's
 * index): a failure stands out on the first screen. Each cell links to its row of the matrix.
 */
function renderGlance(report: ConformanceReport): string {
  const chapters = new Map<string, RequirementResult[]>();
  for (const requirement of report.requirements) {
    const chapter = chapterOf(requirement);
    chapters.set(chapter, [...(chapters.get(chapter) ?? []), requirement]);
  }
  const rows = [...chapters].map(([chapter, requirements]) => {
    const cells = requirements.map(
      (r) =>
        `<a class="cell ${r.verdict}${r.level === "SHOULD" ? " should" : ""}" href="#${escapeHtml(r.id)}" title="${escapeHtml(`${r.id} (${r.level ?? "?"}): ${VERDICT_LABELS[r.verdict]}`)}">${escapeHtml(r.id.replace(/^REQ-/, ""))}</a>`,
    );
    return `<tr><th>${escapeHtml(chapter)}</th><td>${cells.join("")}</td></tr>`;
  });
  const legend = (["pass", "fail", "expected-fail", "unsupported"] as const)
    .map((k) => `<span class="cell ${k}">${escapeHtml(VERDICT_LABELS[k])}</span>`)
    .join("");
  return `<section id="glance">
<h2>At a glance</h2>
<table class="glance"><tbody>${rows.join("\n")}</tbody></table>
<p class="legend">${legend}<span class="cell pass should">SHOULD</span> outlined: a SHOULD, which fails a run only with --strict.</p>
</section>`;
}

function renderRunFacts(report: ConformanceReport, context: ReportContext): string {
  const facts: [string, string][] = [
    ["Target", report.target],
    ...(context.description ? [["Server", context.description] as [string, string]] : []),
    [
      "Spec",
      `Parrot protocol versions ${context.specVersions.join(", ")} (spec/README.md ${context.specDigest})`,
    ],
    ["Selection", report.filtered ? `filtered: ${report.tags || "by --name"}` : "every scenario"],
    ["Strict", report.strict ? "yes: SHOULD failures fail the run" : "no"],
    ["Run", context.generatedAt.toISOString()],
  ];
  const rows = facts.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`);
  return `<table class="facts">${rows.join("")}</table>`;
}

function renderCounts(report: ConformanceReport): string {
  const kinds = ["pass", "fail", "expected-fail", "unsupported"] as const;
  const row = (label: string, items: readonly { verdict: string }[]) =>
    `<tr><th>${escapeHtml(label)}</th>${kinds
      .map((k) => {
        const n = items.filter((i) => i.verdict === k).length;
        return `<td class="${n > 0 ? k : "none"}">${n}</td>`;
      })
      .join("")}</tr>`;
  const scenarioVerdicts = (level: string) =>
    report.scenarios
      .filter((s) => s.level === level)
      .map((s) => ({ verdict: s.expected ? "expected-fail" : s.verdict }));
  return `<table class="counts">
<thead><tr><th></th>${kinds.map((k) => `<th>${escapeHtml(VERDICT_LABELS[k])}</th>`).join("")}</tr></thead>
<tbody>
${row(
  "MUST requirements",
  report.requirements.filter((r) => r.level === "MUST"),
)}
${row("MUST scenarios", scenarioVerdicts("MUST"))}
${row(
  "SHOULD requirements",
  report.requirements.filter((r) => r.level === "SHOULD"),
)}
${row("SHOULD scenarios", scenarioVerdicts("SHOULD"))}
</tbody>
</table>`;
}

function renderMatrixRows(
  report: ConformanceReport,
  context: ReportContext,
  anchors: Map<ScenarioResult, string>,
): string {
  const rows: string[] = [];
  let chapter = "";
  for (const requirement of report.requirements) {
    const own = chapterOf(requirement);
    if (own !== chapter) {
      chapter = own;
      rows.push(`<tr class="chapter"><th colspan="5">${escapeHtml(chapter)}</th></tr>`);
    }
    rows.push(renderRequirementRow(requirement, report, context, anchors));
  }
  return rows.join("\n");
}

/** "§7. Keep-alive and timers", or "§7" for a requirement the spec does not have. */
function chapterOf(requirement: RequirementResult): string {
  return `§${requirement.chapter ?? requirement.id.replace(/^REQ-(\d+)\..*$/, "$1")}`;
}

function renderRequirementRow(
  requirement: RequirementResult,
  report: ConformanceReport,
  context: ReportContext,
  anchors: Map<ScenarioResult, string>,
): string {
  const href = requirement.section
    ? `${context.specHref}#${requirement.section.anchor}`
    : context.specHref;
  // The chapter row above already names a section that is the chapter itself.
  const subsection = requirement.section && requirement.section.title !== requirement.chapter;
  const section = subsection
    ? ` <span class="section">${escapeHtml(requirement.section?.title)}</span>`
    : "";
  const item = (cited: RequirementResult["scenarios"][number]) => {
    const scenario = report.scenarios.find((s) => s.name === cited.name);
    const anchor = scenario ? anchors.get(scenario) : undefined;
    const label = escapeHtml(cited.name);
    const link =
      anchor && scenario?.verdict === "fail" ? `<a href="#${anchor}">${label}</a>` : label;
    const why =
      scenario?.verdict === "unsupported" && scenario.reason
        ? `<span class="why">${escapeHtml(scenario.reason)}</span>`
        : "";
    return `<li class="${cited.verdict}"><span class="chip ${cited.verdict}">${escapeHtml(VERDICT_LABELS[cited.verdict])}</span> ${link}${why}</li>`;
  };
  // Passes are folded away: what needs reading is what did not pass.
  const passed = requirement.scenarios.filter((s) => s.verdict === "pass");
  const others = requirement.scenarios.filter((s) => s.verdict !== "pass");
  const folded =
    passed.length === 0
      ? ""
      : `<details><summary>${passed.length} scenario${passed.length === 1 ? "" : "s"} passed</summary><ul class="scenarios">${passed.map(item).join("")}</ul></details>`;
  const scenarios = others.map(item);
  return `<tr id="${escapeHtml(requirement.id)}" class="${requirement.verdict}">
<td class="id"><a href="${escapeHtml(href)}">${escapeHtml(requirement.id)}</a>${section}</td>
<td>${escapeHtml(requirement.keyword ?? requirement.level ?? "?")}</td>
<td><span class="badge ${requirement.verdict}">${escapeHtml(VERDICT_LABELS[requirement.verdict])}</span></td>
<td>${escapeHtml(requirement.summary ?? "")}</td>
<td>${scenarios.length > 0 ? `<ul class="scenarios">${scenarios.join("")}</ul>` : ""}${folded}</td>
</tr>`;
}

function renderExpectedFailures(report: ConformanceReport): string {
  if (report.expectedFailures.length === 0) return "";
  const rows = report.expectedFailures.map((entry) => {
    const link = entry.link
      ? `<a href="${escapeHtml(safeHref(entry.link))}">${escapeHtml(entry.link)}</a>`
      : "";
    return `<tr class="${entry.outcome.replaceAll(" ", "-")}"><td>${escapeHtml(entry.requirement ?? entry.scenario)}</td><td>${escapeHtml(entry.outcome)}</td><td>${escapeHtml(entry.reason)} ${link}</td><td>${entry.scenarios.map(escapeHtml).join("<br>")}</td></tr>`;
  });
  return `<section id="expected">
<h2>Expected failures</h2>
<p>From --expected-failures. They are reported here and do not fail the run; an entry that
"unexpectedly passed" can be removed from the list.</p>
<table class="expected"><thead><tr><th>Entry</th><th>Outcome</th><th>Reason</th><th>Scenarios</th></tr></thead>
<tbody>${rows.join("\n")}</tbody></table>
</section>`;
}

function renderNotChecked(report: ConformanceReport, context: ReportContext): string {
  if (report.notChecked.length === 0) return "";
  const why = report.filtered
    ? "This run was filtered, so these were left out."
    : "No scenario of this run judged these.";
  const items = report.notChecked.map(
    (r) =>
      `<li><a href="${escapeHtml(context.specHref)}">${escapeHtml(r.id)}</a> (${escapeHtml(r.level)}) ${escapeHtml(r.summary)}</li>`,
  );
  return `<section id="not-judged"><h2>Not judged</h2><p>${escapeHtml(why)}</p><details><summary>${report.notChecked.length} requirement(s)</summary><ul>${items.join("")}</ul></details></section>`;
}

function renderFailure(scenario: ScenarioResult, anchor: string): string {
  const requirements = scenario.requirements
    .map((id) => `<a href="#${escapeHtml(id)}">${escapeHtml(id)}</a>`)
    .join(" ");
  const blame = scenario.blame
    ? `<p class="blame">Pinned on <a href="#${escapeHtml(scenario.blame)}">${escapeHtml(scenario.blame)}</a> by a check that runs in every scenario.</p>`
    : "";
  const expected = scenario.expected
    ? `<p class="expected-note">Expected to fail: ${escapeHtml(scenario.expected.reason)}</p>`
    : "";
  const placements = scenario.placements
    ? `<p class="where">Sessions: ${escapeHtml(scenario.placements.split("\n").join("; "))}</p>`
    : "";
  const transcripts = scenario.transcripts
    ? `<details><summary>Every connection of the scenario</summary><pre class="transcript">${escapeHtml(scenario.transcripts)}</pre></details>`
    : "";
  return `<article class="failure${scenario.expected ? " expected" : ""}" id="${escapeHtml(anchor)}">
<h3>${escapeHtml(scenario.name)}</h3>
<p class="where">${escapeHtml(scenario.feature)} · ${escapeHtml(scenario.level ?? "")} · ${requirements}</p>
${placements}${blame}${expected}
<pre class="reason">${escapeHtml(scenario.reason ?? "failed without a message")}</pre>
${transcripts}
</article>`;
}

/** Links from the expected-failures file are the implementer's own; only web links become links. */
function safeHref(link: string): string {
  return /^https?:\/\//i.test(link) ? link : "#";
}
