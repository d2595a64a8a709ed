/**
 * The conformance suite's front door: `make conformance [TARGET=host:port] [ARGS="..."]`.
 *
 * Finds or starts the server under test, runs the Gherkin scenarios in conformance/features against it
 * with cucumber, writes the reports (HTML, JUnit XML, requirements.json) and prints a summary. The exit
 * code is 0 when the server conforms (no MUST failed; with --strict, no SHOULD either), 1 when it does
 * not, 2 for a usage or launch error or a server not provisioned for the suite. `--help` lists the
 * options; conformance/README.md explains them.
 */
import { mkdirSync } from "node:fs";
import { runCucumber } from "@cucumber/cucumber/api";
import { TIMER_DEFAULTS_MS } from "../generated/index.ts";
import { runClientSuite } from "./client/client-suite.ts";
import { ConsoleProgress } from "./report/console-progress.ts";
import { writeReports } from "./report/write-reports.ts";
import { loadAccounts as loadAccountsFile } from "./support/accounts.ts";
import { DISCARDED_OUTPUT, loadSuiteConfiguration, REPO_DIR } from "./support/cucumber-config.ts";
import { type LaunchedNodes, launchNodes } from "./support/launch-nodes.ts";
import { unmetPreconditions } from "./support/preconditions.ts";
import { buildReport, ResultCollector, refuseUnparsedFeatures } from "./support/results.ts";
import { parseRunOptions, type RunOptions, UsageError, usage } from "./support/run-options.ts";
import { listScenarios } from "./support/scenario-catalogue.ts";
import { readSpecRequirements } from "./support/spec-requirements.ts";
import { suiteDefaults } from "./support/suite-defaults.ts";
import type { SuiteParameters, TargetAddress } from "./support/suite-parameters.ts";
import { formatSummary } from "./support/summary.ts";
import { describePlacement } from "./support/target-placement.ts";

async function main(argv: readonly string[]): Promise<number> {
  // `--client "COMMAND"` judges a client instead: conformance/client/, the suite playing the server.
  if (argv.some((arg) => arg === "--client" || arg.startsWith("--client="))) {
    return runClientSuite(argv);
  }
  let options: RunOptions;
  const defaults = suiteDefaults();
  try {
    options = parseRunOptions(argv, process.env, defaults);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`conformance: ${error.message}\n\n${usage(defaults)}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(usage(defaults));
    return 0;
  }
  if (options.list) {
    for (const scenario of await listScenarios(options.tags)) {
      process.stdout.write(`${scenario.tags.join(" ")}\n    ${scenario.name}\n`);
    }
    return 0;
  }
  const loadAccounts = loadAccountsFile(options.accountsFile).load.length;
  if (options.sessions > loadAccounts) {
    process.stderr.write(
      `conformance: --sessions ${options.sessions} needs as many load accounts; ${options.accountsFile} has ${loadAccounts}\n`,
    );
    return 2;
  }
  mkdirSync(options.reportsDir, { recursive: true });

  let nodes: LaunchedNodes | null = null;
  try {
    if (options.targets.length === 0) {
      const launch = {
        accountsFile: options.accountsFile,
        timeoutMs: options.launchTimeoutMs,
        transport: options.transport,
        wsPath: options.wsPath,
      };
      nodes = await launchNodes(options.nodes, options.launch, launch, options.reportsDir);
    }
  } catch (error) {
    process.stderr.write(
      `conformance: could not start the server under test: ${(error as Error).message}\n`,
    );
    return 2;
  }
  // Ctrl-C or a kill must not leave launched servers behind (a --launch command runs in its own
  // process group, which the terminal's SIGINT does not reach).
  const interrupted = (signal: NodeJS.Signals) => {
    process.stderr.write(`conformance: ${signal}: stopping the servers it started\n`);
    void (nodes?.stop() ?? Promise.resolve()).then(() => process.exit(130));
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);

  try {
    const server = nodes?.servers[0];
    const addresses = nodes
      ? nodes.servers.map(({ host, port }) => ({ host, port }))
      : options.targets;
    const targets = addresses.map(
      (address): TargetAddress => ({
        ...address,
        tls: options.tls,
        ...(options.transport === "tcp" || options.transport === "tls"
          ? {}
          : { transport: options.transport }),
        ...(options.transport === "ws" ? { path: options.wsPath } : {}),
        insecure: options.insecure,
        // The certificate the suite made for a reference server it launched, unless told otherwise.
        ...(options.ca ? { ca: options.ca } : server?.ca ? { ca: server.ca } : {}),
        ...(options.servername ? { servername: options.servername } : {}),
      }),
    );
    const parameters: SuiteParameters = {
      target: targets[0]!,
      targets,
      replyTimeoutMs: options.replyTimeoutMs,
      maxTimerMs: options.maxTimerMs,
      slackMs: options.slackMs,
      setupTimeoutMs: options.setupTimeoutMs,
      timeoutToleranceMs: options.toleranceMs,
      handshakeTimeoutMs: options.handshakeTimeoutMs ?? server?.handshakeTimeoutMs ?? null,
      typingTimeoutMs:
        options.typingTimeoutMs ?? server?.typingTimeoutMs ?? TIMER_DEFAULTS_MS.typingTimeout,
      sessions: options.sessions,
      messagesPerSession: options.messages,
      accountsFile: options.accountsFile,
      ...(nodes ? { launch: { command: options.launch, timeoutMs: options.launchTimeoutMs } } : {}),
    };
    const transport = options.transport === "tcp" ? "" : ` (${transportName(options)})`;
    const where = `${addresses.map(({ host, port }) => `${host}:${port}`).join(",")}${transport}`;
    const judging =
      targets.length === 1
        ? where
        : `${targets.length} nodes of one service, sessions round-robin: ${targets
            .map((target, index) => describePlacement({ target, node: index + 1 }))
            .join(", ")}${transport}`;
    process.stdout.write(`Judging ${judging}${server ? `: ${server.description}` : ""}\n`);
    const unmet = await unmetPreconditions(parameters);
    if (unmet !== undefined) {
      process.stderr.write(`conformance: cannot judge ${where}: ${unmet}\n`);
      return 2;
    }
    return await runSuite(options, parameters, where, server?.description);
  } finally {
    await nodes?.stop();
    process.off("SIGINT", interrupted);
    process.off("SIGTERM", interrupted);
  }
}

/** The transport as the run line names it: wss is WebSocket over TLS. */
function transportName(options: RunOptions): string {
  return options.transport === "ws" && options.tls ? "wss" : options.transport;
}

async function runSuite(
  options: RunOptions,
  parameters: SuiteParameters,
  where: string,
  description: string | undefined,
): Promise<number> {
  // The step time limit is only a guard against a bug in the suite: every wait in a step has its own
  // deadline from the server's timers, capped by --max-timer.
  process.env.PARROT_CONFORMANCE_STEP_TIMEOUT_MS = String(4 * options.maxTimerMs + 60_000);
  const runConfiguration = await loadSuiteConfiguration({
    tags: options.tags,
    names: options.names,
    reportsDir: options.reportsDir,
    parameters,
  });
  const progress = new ConsoleProgress(
    (text) => process.stdout.write(text),
    () => collector.total,
    options.expectedFailures,
  );
  const collector = new ResultCollector((scenario) => progress.scenarioFinished(scenario));
  await runCucumber(runConfiguration, { cwd: REPO_DIR, stdout: DISCARDED_OUTPUT }, (envelope) =>
    collector.onMessage(envelope),
  );
  refuseUnparsedFeatures(collector);

  const report = buildReport(
    collector.scenarios(),
    readSpecRequirements(),
    {
      target: where,
      strict: options.strict,
      tags: options.tags,
      filtered: options.tags !== "" || options.names.length > 0,
    },
    options.expectedFailures,
  );
  writeReports(report, options.reportsDir, description);
  process.stdout.write(formatSummary(report, options.reportsDir));
  return report.conforms ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `conformance: ${error instanceof Error ? (error.stack ?? error.message) : error}\n`,
    );
    process.exitCode = 2;
  },
);
