/**
 * Turns cucumber's message stream into the suite's verdicts: per scenario pass / fail / unsupported, and
 * per requirement (REQ-x.y) the same, with the scenarios that judged it. This is what
 * conformance/reports/requirements.json holds and what the console summary and the exit code come from.
 *
 * Cucumber only knows "skipped"; a scenario is "unsupported" when a step skipped it and logged why (see
 * unsupported.ts). A failed, undefined or ambiguous step fails the scenario. A failure the
 * implementation's expected-failures list names is reported apart and does not fail the run.
 */
import type { Envelope } from "@cucumber/messages";
import { type ExpectedFailure, expectedFailureOf } from "../report/expected-failures.ts";
import { blamedRequirement } from "./conformance-failure.ts";
import type { SpecRequirement } from "./spec-requirements.ts";
import { UNSUPPORTED_PREFIX } from "./unsupported.ts";

export type Verdict = "pass" | "fail" | "unsupported";
/** A requirement whose only failures the expected-failures list names. */
export type RequirementVerdict = Verdict | "expected-fail";
export type Level = "MUST" | "SHOULD";

export interface ScenarioResult {
  name: string;
  feature: string;
  tags: string[];
  level: Level | null;
  requirements: string[];
  verdict: Verdict;
  /** Why it is unsupported, or the first failure message. */
  reason?: string;
  /** The requirement a failure was pinned on by a cross-cutting check (see conformance-failure.ts). */
  blame?: string;
  /** The expected-failures entry that expects this failure (failed scenarios only). */
  expected?: ExpectedFailure;
  durationMs?: number;
  /** Every connection's transcript, attached to a failed scenario by the After hook. */
  transcripts?: string;
  /**
   * Which target each of its sessions used, one a line (`"A" → node 1 (127.0.0.1:4000)`), when the
   * run judged several; absent with one.
   */
  placements?: string;
}

/** What became of one expected-failures entry in this run. */
export interface ExpectedFailureResult extends ExpectedFailure {
  /**
   * "failed": as expected; "unexpectedly passed": none of its scenarios failed and some passed (the
   * entry can go); "not run": no scenario of this run judged it.
   */
  outcome: "failed" | "unexpectedly passed" | "not run";
  scenarios: string[];
}

export interface RequirementResult {
  id: string;
  level: Level | "MAY" | null;
  keyword: string | null;
  summary: string | null;
  /** The spec heading it is under, for links into spec/README.md. */
  section?: { title: string; anchor: string };
  chapter?: string;
  verdict: RequirementVerdict;
  /**
   * The scenarios that cite it. "inconclusive": the scenario stopped at a failure blamed on another
   * requirement before it could judge this one.
   */
  scenarios: { name: string; verdict: RequirementVerdict | "inconclusive" }[];
}

export interface ConformanceReport {
  target: string;
  strict: boolean;
  tags: string;
  /** Whether --tags or --name left scenarios out. */
  filtered: boolean;
  scenarios: ScenarioResult[];
  requirements: RequirementResult[];
  /** Requirements a server is bound by that no scenario of this run judged. */
  notChecked: { id: string; level: string; summary: string }[];
  /** The entries of --expected-failures and what became of each (empty without the option). */
  expectedFailures: ExpectedFailureResult[];
  /** true when no MUST requirement failed unexpectedly (and, with --strict, no SHOULD either). */
  conforms: boolean;
}

interface CaseState {
  pickleId: string;
  statuses: string[];
  failure?: string;
  unsupported?: string;
  transcripts?: string;
  placements?: string;
  startedAt?: number;
  durationMs?: number;
}

export class ResultCollector {
  private readonly pickles = new Map<string, { name: string; uri: string; tags: string[] }>();
  private readonly testCases = new Map<string, string>();
  private readonly started = new Map<string, CaseState>();
  /** Feature files cucumber could not parse: their scenarios were never run, so no verdict stands. */
  readonly parseErrors: string[] = [];

  /** `finished` hears of each scenario as soon as it has run (the console's progress). */
  constructor(private readonly finished: (scenario: ScenarioResult) => void = () => {}) {}

  /** How many scenarios the run has. */
  get total(): number {
    return this.testCases.size;
  }

  onMessage(envelope: Envelope): void {
    if (envelope.parseError) {
      const { source, message } = envelope.parseError;
      this.parseErrors.push(`${source.uri ?? "a feature file"}: ${message}`);
    } else if (envelope.pickle) {
      const { id, name, uri, tags } = envelope.pickle;
      this.pickles.set(id, { name, uri, tags: tags.map((tag) => tag.name) });
    } else if (envelope.testCase) {
      this.testCases.set(envelope.testCase.id, envelope.testCase.pickleId);
    } else if (envelope.testCaseStarted) {
      const pickleId = this.testCases.get(envelope.testCaseStarted.testCaseId);
      const startedAt = seconds(envelope.testCaseStarted.timestamp);
      if (pickleId)
        this.started.set(envelope.testCaseStarted.id, { pickleId, statuses: [], startedAt });
    } else if (envelope.testCaseFinished) {
      const state = this.started.get(envelope.testCaseFinished.testCaseStartedId);
      if (!state) return;
      state.durationMs =
        (seconds(envelope.testCaseFinished.timestamp) - (state.startedAt ?? 0)) * 1000;
      const result = this.resultOf(state);
      if (result) this.finished(result);
    } else if (envelope.testStepFinished) {
      const state = this.started.get(envelope.testStepFinished.testCaseStartedId);
      const result = envelope.testStepFinished.testStepResult;
      if (!state) return;
      state.statuses.push(result.status);
      if (
        result.status !== "PASSED" &&
        result.status !== "SKIPPED" &&
        state.failure === undefined
      ) {
        state.failure = failureMessage(result);
      }
    } else if (envelope.attachment?.testCaseStartedId) {
      const state = this.started.get(envelope.attachment.testCaseStartedId);
      const body = envelope.attachment.body;
      if (state && body.startsWith(UNSUPPORTED_PREFIX)) {
        state.unsupported ??= body.slice(UNSUPPORTED_PREFIX.length);
      } else if (state && envelope.attachment.fileName === TRANSCRIPTS_FILE) {
        state.transcripts = body;
      } else if (state && envelope.attachment.fileName === PLACEMENTS_FILE) {
        state.placements = body;
      }
    }
  }

  scenarios(): ScenarioResult[] {
    return [...this.started.values()].flatMap((state) => {
      const result = this.resultOf(state);
      return result ? [result] : [];
    });
  }

  private resultOf(state: CaseState): ScenarioResult | undefined {
    const pickle = this.pickles.get(state.pickleId);
    if (!pickle) return undefined;
    const failed = state.statuses.some(
      (s) => s === "FAILED" || s === "UNDEFINED" || s === "AMBIGUOUS",
    );
    const skipped = state.statuses.some((s) => s === "SKIPPED" || s === "PENDING");
    const verdict: Verdict = failed ? "fail" : skipped ? "unsupported" : "pass";
    const reason =
      verdict === "fail"
        ? state.failure
        : verdict === "unsupported"
          ? (state.unsupported ?? "skipped without a reason")
          : undefined;
    const blame = verdict === "fail" && reason ? blamedRequirement(reason) : undefined;
    return {
      name: pickle.name,
      feature: pickle.uri,
      tags: pickle.tags,
      level: pickle.tags.includes("@MUST")
        ? "MUST"
        : pickle.tags.includes("@SHOULD")
          ? "SHOULD"
          : null,
      requirements: pickle.tags.filter((t) => /^@REQ-\d+\.\d+$/.test(t)).map((t) => t.slice(1)),
      verdict,
      ...(reason === undefined ? {} : { reason }),
      ...(blame === undefined ? {} : { blame }),
      ...(state.durationMs === undefined ? {} : { durationMs: state.durationMs }),
      ...(state.transcripts === undefined ? {} : { transcripts: state.transcripts }),
      ...(state.placements === undefined ? {} : { placements: state.placements }),
    };
  }
}

/** The name of the attachment that carries a failed scenario's transcripts (steps/hooks.ts). */
export const TRANSCRIPTS_FILE = "transcripts.txt";
/** The attachment that says which target each session used, in a run with several (steps/hooks.ts). */
export const PLACEMENTS_FILE = "placements.txt";

/**
 * Why a step failed. A failure of the server (a ConformanceFailure, or the target refusing a
 * connection) is its message alone: the stack would point into the suite's own files, which says
 * nothing about the server. A programming error is a bug in the suite, and keeps its stack.
 */
function failureMessage(result: {
  status: string;
  message?: string;
  exception?: { type: string; message?: string };
}): string {
  const { exception } = result;
  const suiteBug =
    exception !== undefined &&
    (SUITE_BUGS.has(exception.type) || exception.message?.startsWith("scenario bug"));
  if (exception?.message !== undefined && !suiteBug) {
    return exception.type === "ConformanceFailure" || exception.type === "Error"
      ? exception.message
      : `${exception.type}: ${exception.message}`;
  }
  return result.message ?? `a step was ${result.status.toLowerCase()}`;
}

/** Errors that only a mistake in the suite's own code throws. */
const SUITE_BUGS = new Set(["TypeError", "ReferenceError", "RangeError", "SyntaxError"]);

function seconds(timestamp: { seconds: number; nanos: number }): number {
  return timestamp.seconds + timestamp.nanos / 1e9;
}

export function buildReport(
  observed: ScenarioResult[],
  spec: readonly SpecRequirement[],
  run: { target: string; strict: boolean; tags: string; filtered: boolean },
  expectedFailures: readonly ExpectedFailure[] = [],
): ConformanceReport {
  const scenarios = observed.map((scenario) => {
    const expected =
      scenario.verdict === "fail" ? expectedFailureOf(scenario, expectedFailures) : undefined;
    return expected ? { ...scenario, expected } : scenario;
  });
  const byId = new Map<string, RequirementResult>();
  const link = (
    id: string,
    scenario: ScenarioResult,
    verdict: RequirementVerdict | "inconclusive",
  ) => {
    let entry = byId.get(id);
    if (!entry) {
      const known = spec.find((requirement) => requirement.id === id);
      entry = {
        id,
        level: known?.level ?? scenario.level,
        keyword: known?.keyword ?? null,
        summary: known ? summarise(known.text) : null,
        ...(known?.section ? { section: known.section } : {}),
        ...(known?.chapter ? { chapter: known.chapter } : {}),
        verdict: "unsupported",
        scenarios: [],
      };
      byId.set(id, entry);
    }
    entry.scenarios.push({ name: scenario.name, verdict });
  };
  for (const scenario of scenarios) {
    const blamed = scenario.blame;
    const verdict = scenario.expected ? "expected-fail" : scenario.verdict;
    for (const id of scenario.requirements) {
      link(id, scenario, blamed !== undefined && blamed !== id ? "inconclusive" : verdict);
    }
    if (blamed !== undefined && !scenario.requirements.includes(blamed))
      link(blamed, scenario, verdict);
  }
  for (const entry of byId.values()) {
    const verdicts = entry.scenarios.map((s) => s.verdict);
    entry.verdict = verdicts.includes("fail")
      ? "fail"
      : verdicts.includes("expected-fail")
        ? "expected-fail"
        : verdicts.includes("pass")
          ? "pass"
          : "unsupported";
  }
  const requirements = [...byId.values()].sort((a, b) => compareIds(a.id, b.id));
  const notChecked = spec
    .filter((r) => r.scope === "wire" && r.level !== "MAY" && !byId.has(r.id))
    .map((r) => ({ id: r.id, level: r.level, summary: summarise(r.text) }));
  const conforms = !requirements.some(
    (r) => r.verdict === "fail" && (r.level === "MUST" || r.level === null || run.strict),
  );
  const expected = expectedFailures.map((entry) => outcomeOf(entry, scenarios));
  return { ...run, scenarios, requirements, notChecked, expectedFailures: expected, conforms };
}

/** What became of an expected-failures entry: see ExpectedFailureResult. */
function outcomeOf(
  entry: ExpectedFailure,
  scenarios: readonly ScenarioResult[],
): ExpectedFailureResult {
  const failed = scenarios.filter((s) => s.expected === entry).map((s) => s.name);
  if (failed.length > 0) return { ...entry, outcome: "failed", scenarios: failed };
  const passed = scenarios
    .filter((s) => s.verdict === "pass" && expectedFailureOf(s, [entry]) !== undefined)
    .map((s) => s.name);
  if (passed.length > 0) return { ...entry, outcome: "unexpectedly passed", scenarios: passed };
  return { ...entry, outcome: "not run", scenarios: [] };
}

/** The first sentence of a requirement, for tables. */
function summarise(text: string): string {
  const sentence = /^(.*?[.:])(\s|$)/.exec(text)?.[1] ?? text;
  return sentence.length > 140 ? `${sentence.slice(0, 137)}...` : sentence;
}

export function compareIds(a: string, b: string): number {
  const [a1 = 0, a2 = 0] = a.replace("REQ-", "").split(".").map(Number);
  const [b1 = 0, b2 = 0] = b.replace("REQ-", "").split(".").map(Number);
  return a1 - b1 || a2 - b2;
}

/** A run whose feature files did not all parse judged less than it says: a suite error (exit 2). */
export function refuseUnparsedFeatures(collector: ResultCollector): void {
  if (collector.parseErrors.length === 0) return;
  throw new Error(
    `the suite's feature files do not parse, so the run is no verdict:\n  ${collector.parseErrors.join("\n  ")}`,
  );
}
