/**
 * Writes the suite's own reports into the reports directory: requirements.json (the machine-readable
 * matrix) and report.html (the page for people). Cucumber's formatters write junit.xml and
 * messages.ndjson beside them (support/cucumber-config.ts).
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { SUPPORTED_VERSIONS } from "../../generated/index.ts";
import type { ConformanceReport } from "../support/results.ts";
import { SPEC_README } from "../support/spec-requirements.ts";
import { renderHtmlReport } from "./html-report.ts";

export function writeReports(
  report: ConformanceReport,
  reportsDir: string,
  description?: string,
): void {
  writeFileSync(join(reportsDir, "requirements.json"), `${JSON.stringify(report, null, 2)}\n`);
  const specDigest = createHash("sha256")
    .update(readFileSync(SPEC_README))
    .digest("hex")
    .slice(0, 12);
  const html = renderHtmlReport(report, {
    specVersions: SUPPORTED_VERSIONS,
    specDigest: `sha256 ${specDigest}`,
    specHref: relative(reportsDir, SPEC_README).split("\\").join("/"),
    generatedAt: new Date(),
    ...(description ? { description } : {}),
  });
  writeFileSync(join(reportsDir, "report.html"), html);
}
