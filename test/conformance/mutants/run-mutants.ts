/**
 * `make conformance-mutants`: the suite's own planted-bug corpus (corpus.ts). Each mutant is the
 * reference server with one realistic fault (mutant-tree.ts); the suite is run against it, fail-fast
 * by stages: first the scenarios citing the requirement the mutant breaks, and only if all of those
 * pass, the whole suite. A mutant is killed when a run fails; it survives when the whole suite passes.
 * Prints the kill rate and every survivor (to be explained in conformance/README.md).
 *
 *   node --import tsx test/conformance/mutants/run-mutants.ts [--only ID,ID] [--parallel N]
 *     [--requirement-stage-only]
 *
 * `--requirement-stage-only` (while writing scenarios) stops after the first stage: a mutant that
 * passes it is reported "not killed by its requirement's scenarios", not judged by the whole suite.
 *
 * Not part of `make test`: the survivors each take a whole run of the suite.
 */
import { parseArgs } from "node:util";
import { provisionedUsersFile } from "../../../tools/launch/test-accounts.ts";
import { runSuite, type SuiteRun } from "../run-suite.ts";
import { MUTANTS, type Mutant } from "./corpus.ts";
import { checkPatch, plantMutant } from "./mutant-tree.ts";

/** Replies may be slow on a busy machine; this only lengthens waits, it judges nothing. */
const REPLY_TIMEOUT_S = "8";

type Verdict =
  | { kind: "killed"; stage: "requirement" | "whole suite"; by: string[] }
  | { kind: "survived" }
  | { kind: "stillborn"; why: string };

const { values } = parseArgs({
  options: {
    only: { type: "string" },
    parallel: { type: "string", default: "2" },
    "requirement-stage-only": { type: "boolean", default: false },
  },
});
const only = values.only?.split(",");
const selected = only ? MUTANTS.filter((m) => only.includes(m.id)) : MUTANTS;
for (const mutant of selected) for (const patch of mutant.patches) checkPatch(patch);

const usersFile = await provisionedUsersFile();
const started = Date.now();

// The control: the unmutated reference through the same stages must pass, or no kill means anything.
const control = await judge({ id: "control", breaks: "REQ-2.1", fault: "none", patches: [] });
if (control.kind !== "survived") {
  process.stdout.write(`The unmutated reference does not pass: ${describe(control)}\n`);
  process.exit(1);
}
const controlled = values["requirement-stage-only"] ? "its first stage" : "the whole suite";
process.stdout.write(`control (the unmutated reference)  passes ${controlled}\n`);
const verdicts = new Map<Mutant, Verdict>();
let next = 0;
await Promise.all(
  Array.from({ length: Number(values.parallel) }, async () => {
    for (let i = next++; i < selected.length; i = next++) {
      const mutant = selected[i]!;
      const verdict = await judge(mutant);
      verdicts.set(mutant, verdict);
      process.stdout.write(`${mutant.id.padEnd(34)} ${describe(verdict)}\n`);
    }
  }),
);

const judged = [...verdicts].filter(([, v]) => v.kind !== "stillborn");
const killed = judged.filter(([, v]) => v.kind === "killed").length;
const rate = judged.length === 0 ? 0 : (100 * killed) / judged.length;
process.stdout.write(
  `\nKilled ${killed} of ${judged.length} mutants (${rate.toFixed(1)} %) in ${Math.round((Date.now() - started) / 1000)} s.\n`,
);
for (const [mutant, verdict] of verdicts) {
  if (verdict.kind === "survived") {
    process.stdout.write(`SURVIVED ${mutant.id} (${mutant.breaks}): ${mutant.fault}\n`);
  }
  if (verdict.kind === "stillborn") {
    process.stdout.write(`DID NOT START ${mutant.id}: ${verdict.why}\n`);
  }
}
process.exit(0);

async function judge(mutant: Mutant): Promise<Verdict> {
  const tree = plantMutant(mutant.patches);
  try {
    // A fault in the WebSocket binding is judged over WebSocket: the server listens on a port
    // of its own for it (the suite waits for its "(ws)" listening line) and every scenario dials it.
    const overWebSocket = mutant.transport === "ws";
    const command = [
      `node --import tsx ${tree.root}/cli/parrot.ts server -l {host} -p 0 --users ${usersFile}`,
      "--ping-interval {ping_interval} --ping-timeout {ping_timeout}",
      "--handshake-timeout {handshake_timeout} --max-connections {max_connections} --log-level warn",
      ...(overWebSocket ? ["--ws-port 0 --ws-path /"] : []),
    ].join(" ");
    // --strict: a SHOULD the mutant breaks must fail the run too. The suite's own timer slack (0.25 s,
    // as in `make conformance`): the loaded-machine slack of `make test` would hide timers late by
    // less than its second; the control run shows the default holds on this machine.
    const base = [
      "--launch",
      command,
      "--strict",
      "--reply-timeout",
      REPLY_TIMEOUT_S,
      ...(overWebSocket ? ["--transport", "ws"] : []),
    ];
    const first = await runSuite([...base, "--tags", `@${mutant.breaks}`]);
    if (first.code === 2) return { kind: "stillborn", why: lastLines(first) };
    if (first.code !== 0)
      return { kind: "killed", stage: "requirement", by: failedScenarios(first) };
    if (values["requirement-stage-only"]) return { kind: "survived" };
    const whole = await runSuite(base);
    if (whole.code === 2) return { kind: "stillborn", why: lastLines(whole) };
    if (whole.code !== 0)
      return { kind: "killed", stage: "whole suite", by: failedScenarios(whole) };
    return { kind: "survived" };
  } finally {
    tree.remove();
  }
}

function failedScenarios(run: SuiteRun): string[] {
  return (run.report?.scenarios ?? []).filter((s) => s.verdict === "fail").map((s) => s.name);
}

function lastLines(run: SuiteRun): string {
  return `${run.stdout}\n${run.stderr}`.trim().split("\n").slice(-3).join(" / ");
}

function describe(verdict: Verdict): string {
  switch (verdict.kind) {
    case "killed":
      return `killed (${verdict.stage}: ${verdict.by.length} scenario(s), e.g. ${verdict.by[0] ?? "?"})`;
    case "survived":
      return "SURVIVED";
    case "stillborn":
      return `did not start: ${verdict.why}`;
  }
}
