/**
 * How the suite drives cucumber: where the features and steps are, and which formatters write which
 * report. Shared by run.ts (a real run) and scenario-catalogue.ts (a dry run that lists scenarios).
 */

import { join } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { type IRunConfiguration, loadConfiguration } from "@cucumber/cucumber/api";
import { CODE_EXTENSION } from "./reference-cli.ts";
import type { SuiteParameters } from "./suite-parameters.ts";

export const CONFORMANCE_DIR = fileURLToPath(new URL("..", import.meta.url));
export const REPO_DIR = join(CONFORMANCE_DIR, "..");

/**
 * Cucumber's stdout: nothing. Cucumber always runs a console formatter (progress by default); the
 * suite prints its own progress and summary instead.
 */
export const DISCARDED_OUTPUT = new Writable({
  write(_chunk, _encoding, done) {
    done();
  },
});

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
        import: [join(CONFORMANCE_DIR, "steps", `*${CODE_EXTENSION}`)],
        tags: options.tags,
        name: options.names,
        dryRun: options.dryRun ?? false,
        // The console and report.html are the suite's own (conformance/report/), from the messages.
        format: reports
          ? [
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
