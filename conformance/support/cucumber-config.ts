/**
 * How the suite drives cucumber: where the features and steps are, and which formatters write which
 * report. Shared by run.ts (a real run) and scenario-catalogue.ts (a dry run that lists scenarios).
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type IRunConfiguration, loadConfiguration } from "@cucumber/cucumber/api";
import type { SuiteParameters } from "./suite-parameters.ts";

export const CONFORMANCE_DIR = fileURLToPath(new URL("..", import.meta.url));
export const REPO_DIR = join(CONFORMANCE_DIR, "..");

export interface SuiteConfigurationOptions {
  tags: string;
  names: string[];
  /** Directory for report.html, junit.xml and messages.ndjson; none for a dry run. */
  reportsDir?: string;
  parameters?: SuiteParameters;
  dryRun?: boolean;
}

export async function loadSuiteConfiguration(
  options: SuiteConfigurationOptions,
): Promise<IRunConfiguration> {
  const reports = options.reportsDir;
  const { runConfiguration } = await loadConfiguration(
    {
      file: false,
      provided: {
        paths: [join(CONFORMANCE_DIR, "features", "*.feature")],
        import: [join(CONFORMANCE_DIR, "steps", "*.ts")],
        tags: options.tags,
        name: options.names,
        dryRun: options.dryRun ?? false,
        format: reports
          ? [
              "progress",
              ["html", join(reports, "report.html")],
              ["junit", join(reports, "junit.xml")],
              ["message", join(reports, "messages.ndjson")],
            ]
          : [],
        formatOptions: { junit: { suiteName: "parrot-conformance" } },
        worldParameters: (options.parameters ?? {}) as unknown as Record<string, never>,
      },
    },
    { cwd: REPO_DIR },
  );
  return runConfiguration;
}
