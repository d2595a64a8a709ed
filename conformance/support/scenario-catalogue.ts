/**
 * Every scenario the suite has, with its tags, found by a cucumber dry run: nothing is sent anywhere,
 * but every step is matched to its definition, so an undefined or ambiguous step shows up here too.
 * Used by `run.ts --list` and by the test that checks every MUST of the spec is cited.
 */
import { Writable } from "node:stream";
import { type IRunConfiguration, runCucumber } from "@cucumber/cucumber/api";
import { loadSuiteConfiguration, REPO_DIR } from "./cucumber-config.ts";

export interface CataloguedScenario {
  name: string;
  feature: string;
  tags: string[];
  /** Steps that match no definition, or several. */
  unmatchedSteps: string[];
}

/** `configure` builds the dry run's configuration: the server suite's unless the client suite's is given. */
export async function listScenarios(
  tags = "",
  configure: (tags: string) => Promise<IRunConfiguration> = (selection) =>
    loadSuiteConfiguration({ tags: selection, names: [], dryRun: true }),
): Promise<CataloguedScenario[]> {
  const configuration = await configure(tags);
  const pickles = new Map<string, CataloguedScenario>();
  const stepTexts = new Map<string, string>();
  const caseToPickle = new Map<string, string>();
  const startedToCase = new Map<string, string>();
  const stepToPickleStep = new Map<string, string>();
  const selected = new Set<string>();
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  await runCucumber(configuration, { cwd: REPO_DIR, stdout: silent }, (envelope) => {
    if (envelope.pickle) {
      const { id, name, uri, tags: pickleTags, steps } = envelope.pickle;
      pickles.set(id, {
        name,
        feature: uri,
        tags: pickleTags.map((t) => t.name),
        unmatchedSteps: [],
      });
      for (const step of steps) stepTexts.set(step.id, step.text);
    } else if (envelope.testCase) {
      caseToPickle.set(envelope.testCase.id, envelope.testCase.pickleId);
      selected.add(envelope.testCase.pickleId);
      for (const step of envelope.testCase.testSteps) {
        if (step.pickleStepId) stepToPickleStep.set(step.id, step.pickleStepId);
      }
    } else if (envelope.testCaseStarted) {
      startedToCase.set(envelope.testCaseStarted.id, envelope.testCaseStarted.testCaseId);
    } else if (envelope.testStepFinished) {
      const { status } = envelope.testStepFinished.testStepResult;
      if (status !== "UNDEFINED" && status !== "AMBIGUOUS") return;
      const testCaseId = startedToCase.get(envelope.testStepFinished.testCaseStartedId);
      const pickle = pickles.get(caseToPickle.get(testCaseId ?? "") ?? "");
      const pickleStep = stepToPickleStep.get(envelope.testStepFinished.testStepId);
      pickle?.unmatchedSteps.push(
        `${stepTexts.get(pickleStep ?? "") ?? "?"} (${status.toLowerCase()})`,
      );
    }
  });
  // Every pickle is announced; only those the tag expression selected become test cases.
  return [...pickles].filter(([id]) => selected.has(id)).map(([, scenario]) => scenario);
}
