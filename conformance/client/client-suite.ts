/**
 * The client suite's run: parse the options, run the scenarios of conformance/client/features against
 * the client under test with cucumber, write the reports (HTML, JUnit XML, requirements.json) and print
 * the summary. Returns the exit code: 0 the client conforms (no MUST failed; with --strict, no SHOULD
 * either), 1 it does not, 2 a usage error. `conformance/run.ts --client` and `run-client.ts` call it.
 */
import { mkdirSync } from "node:fs";
import { runCucumber } from "@cucumber/cucumber/api";
import { writeReports } from "../report/write-reports.ts";
import { REPO_DIR } from "../support/cucumber-config.ts";
import { buildReport, ResultCollector, refuseUnparsedFeatures } from "../support/results.ts";
import { UsageError } from "../support/run-options.ts";
import { listScenarios } from "../support/scenario-catalogue.ts";
import { readSpecRequirements } from "../support/spec-requirements.ts";
import { suiteDefaults } from "../support/suite-defaults.ts";
import { formatSummary } from "../support/summary.ts";
import { loadClientSuiteConfiguration } from "./support/client-cucumber-config.ts";
import { CLIENT_ACCOUNT, type ClientSuiteParameters } from "./support/client-parameters.ts";
import {
  type ClientRunOptions,
  clientUsage,
  parseClientRunOptions,
} from "./support/client-run-options.ts";

export function listClientScenarios(tags = "") {
  return listScenarios(tags, (selection) =>
    loadClientSuiteConfiguration({ tags: selection, names: [], dryRun: true }),
  );
}

export async function runClientSuite(argv: readonly string[]): Promise<number> {
  let options: ClientRunOptions;
  const defaults = suiteDefaults();
  try {
    options = parseClientRunOptions(argv, { reportsDir: defaults.clientReportsDir });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`conformance: ${error.message}\n\n${clientUsage(defaults)}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(clientUsage(defaults));
    return 0;
  }
  if (options.list) {
    for (const scenario of await listClientScenarios(options.tags)) {
      process.stdout.write(`${scenario.tags.join(" ")}\n    ${scenario.name}\n`);
    }
    return 0;
  }
  mkdirSync(options.reportsDir, { recursive: true });
  const parameters: ClientSuiteParameters = {
    command: options.command,
    commands: options.commands,
    exitCodes: options.exitCodes,
    v3: options.v3,
    reconnectCommand: options.reconnectCommand,
    replyTimeoutMs: options.replyTimeoutMs,
    ...CLIENT_ACCOUNT,
  };
  const declared = [
    options.commands && "command lines",
    options.exitCodes && "exit codes",
    options.v3 && "version 3",
    options.reconnectCommand && "reconnects",
  ]
    .filter(Boolean)
    .join(", ");
  process.stdout.write(
    `Judging the client ${options.command}${declared ? ` (declares: ${declared})` : ""}\n`,
  );

  const collector = new ResultCollector();
  await runCucumber(
    await loadClientSuiteConfiguration({
      tags: options.tags,
      names: options.names,
      reportsDir: options.reportsDir,
      parameters,
      parallel: options.parallel,
    }),
    { cwd: REPO_DIR },
    (envelope) => collector.onMessage(envelope),
  );
  refuseUnparsedFeatures(collector);
  const spec = readSpecRequirements();
  const report = buildReport(collector.scenarios(), spec, {
    target: `client ${options.command}${declared ? ` (declares: ${declared})` : ""}`,
    strict: options.strict,
    tags: options.tags,
    filtered: options.tags !== "" || options.names.length > 0,
  });
  // A client is bound by the (client) requirements; the server suite's list of unjudged ones is not its.
  const judged = new Set(report.requirements.map((r) => r.id));
  report.notChecked = spec
    .filter((r) => r.scope === "client" && r.level !== "MAY" && !judged.has(r.id))
    .map((r) => ({ id: r.id, level: r.level, summary: r.text.split(". ")[0] ?? r.text }));
  writeReports(report, options.reportsDir);
  process.stdout.write(formatSummary(report, options.reportsDir));
  return report.conforms ? 0 : 1;
}
