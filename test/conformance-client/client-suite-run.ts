/**
 * Runs the client suite (conformance/run.ts --client) as `make conformance-client` does, via the
 * server suite tests' runner, with room for a machine shared with other test runs.
 */
import { runSuite, type SuiteRun } from "../conformance/run-suite.ts";

/** The minimal client through the contract wrapper; extra words (a planted fault) go after it. */
export const MINIMAL_CLIENT =
  "sh test/conformance-client/contract-wrapper.sh {host} {port} {user} {password} {versions}";

/**
 * The options that declare what the minimal client offers beyond the contract's core: the exit
 * codes, version 3, and the command that reconnects (`fault`, if any, planted in both commands).
 */
export function minimalClientArgs(fault?: string): string[] {
  const planted = fault === undefined ? "" : ` --fault ${fault}`;
  return [
    "--client-exit-codes",
    "--client-v3",
    "--client-reconnect",
    `${MINIMAL_CLIENT} --reconnect${planted}`,
  ];
}

/**
 * Scenarios at once, and how long a client may take to act, on a loaded machine. Neither touches a
 * judgement of the spec's timers: those come from what the scripted server advertises.
 */
const LOADED_MACHINE_ARGS = ["--parallel", "3", "--reply-timeout", "10"];

export function runClientSuite(
  client: string | null,
  args: readonly string[] = [],
): Promise<SuiteRun> {
  return runSuite(["--client", client ?? "", ...LOADED_MACHINE_ARGS, ...args]);
}

/** One line per scenario whose verdict is not `expected(scenario)`, for a readable assertion. */
export function mismatches(
  run: SuiteRun,
  expected: (scenario: { name: string; tags: string[]; requirements: string[] }) => string,
): string[] {
  if (!run.report)
    throw new Error(`no requirements.json\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
  return run.report.scenarios
    .filter((scenario) => scenario.verdict !== expected(scenario))
    .map(
      (s) => `${s.verdict} (expected ${expected(s)}) ${s.name}: ${(s.reason ?? "").split("\n")[0]}`,
    );
}
