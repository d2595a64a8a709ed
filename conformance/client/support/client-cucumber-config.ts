/**
 * How the client suite drives cucumber: its own features and steps (conformance/client/), the same
 * report formatters as the server suite (and the same report.html, written by client-suite.ts). Shared by a real run and the dry run that lists scenarios.
 */
import { join } from "node:path";
import { type IRunConfiguration, loadConfiguration } from "@cucumber/cucumber/api";
import { CONFORMANCE_DIR, REPO_DIR } from "../../support/cucumber-config.ts";
import { CODE_EXTENSION } from "../../support/reference-cli.ts";
import type { ClientSuiteParameters } from "./client-parameters.ts";

export const CLIENT_SUITE_DIR = join(CONFORMANCE_DIR, "client");

export interface ClientSuiteConfigurationOptions {
  tags: string;
  names: string[];
  /** Directory for junit.xml and messages.ndjson; none for a dry run. */
  reportsDir?: string;
  parameters?: ClientSuiteParameters;
  dryRun?: boolean;
  /** Scenarios run at once (cucumber workers); each has its own scripted server and client. */
  parallel?: number;
}

export async function loadClientSuiteConfiguration(
  options: ClientSuiteConfigurationOptions,
): Promise<IRunConfiguration> {
  const reports = options.reportsDir;
  const { runConfiguration } = await loadConfiguration(
    {
      file: false,
      provided: {
        paths: [join(CLIENT_SUITE_DIR, "features", "*.feature")],
        import: [join(CLIENT_SUITE_DIR, "steps", `*${CODE_EXTENSION}`)],
        tags: options.tags,
        name: options.names,
        dryRun: options.dryRun ?? false,
        parallel: options.parallel && options.parallel > 1 ? options.parallel : 0,
        format: reports
          ? [
              "progress",
              // report.html is the suite's own (conformance/report/), written from the results.
              ["junit", join(reports, "junit.xml")],
              ["message", join(reports, "messages.ndjson")],
            ]
          : [],
        formatOptions: { junit: { suiteName: "parrot-client-conformance" } },
        worldParameters: (options.parameters ?? {}) as unknown as Record<string, never>,
      },
    },
    { cwd: REPO_DIR },
  );
  return runConfiguration;
}
