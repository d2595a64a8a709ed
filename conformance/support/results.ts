/**
 * Turns cucumber's message stream into the suite's verdicts: per scenario pass / fail / unsupported, and
 * per requirement (REQ-x.y) the same, with the scenarios that judged it. This is what
 * conformance/reports/requirements.json holds and what the console summary and the exit code come from.
 *
 * Cucumber only knows "skipped"; a scenario is "unsupported" when a step skipped it and logged why (see
 * unsupported.ts). A failed, undefined or ambiguous step fails the scenario.
 */
import type { Envelope } from "@cucumber/messages";
import { blamedRequirement } from "./conformance-failure.ts";
import type { SpecRequirement } from "./spec-requirements.ts";
import { UNSUPPORTED_PREFIX } from "./unsupported.ts";

export type Verdict = "pass" | "fail" | "unsupported";
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
}

export interface RequirementResult {
  id: string;
  level: Level | "MAY" | null;
  keyword: string | null;
  summary: string | null;
  verdict: Verdict;
  /**
   * The scenarios that cite it. "inconclusive": the scenario stopped at a failure blamed on another
   * requirement before it could judge this one.
   */
  scenarios: { name: string; verdict: Verdict | "inconclusive" }[];
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
  /** true when no MUST requirement failed (and, with --strict, no SHOULD either). */
  conforms: boolean;
}

interface CaseState {
  pickleId: string;
  statuses: string[];
  failure?: string;
  unsupported?: string;
}

export class ResultCollector {
  private readonly pickles = new Map<string, { name: string; uri: string; tags: string[] }>();
  private readonly testCases = new Map<string, string>();
  private readonly started = new Map<string, CaseState>();

  onMessage(envelope: Envelope): void {
    if (envelope.pickle) {
      const { id, name, uri, tags } = envelope.pickle;
      this.pickles.set(id, { name, uri, tags: tags.map((tag) => tag.name) });
    } else if (envelope.testCase) {
      this.testCases.set(envelope.testCase.id, envelope.testCase.pickleId);
    } else if (envelope.testCaseStarted) {
      const pickleId = this.testCases.get(envelope.testCaseStarted.testCaseId);
      if (pickleId) this.started.set(envelope.testCaseStarted.id, { pickleId, statuses: [] });
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
        state.failure = result.message ?? `a step was ${result.status.toLowerCase()}`;
      }
    } else if (envelope.attachment?.testCaseStartedId) {
      const state = this.started.get(envelope.attachment.testCaseStartedId);
      const body = envelope.attachment.body;
      if (state && body.startsWith(UNSUPPORTED_PREFIX)) {
        state.unsupported ??= body.slice(UNSUPPORTED_PREFIX.length);
      }
    }
  }

  scenarios(): ScenarioResult[] {
    return [...this.started.values()].flatMap((state) => {
      const pickle = this.pickles.get(state.pickleId);
      if (!pickle) return [];
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
      return [
        {
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
        },
      ];
    });
  }
}

export function buildReport(
  scenarios: ScenarioResult[],
  spec: readonly SpecRequirement[],
  run: { target: string; strict: boolean; tags: string; filtered: boolean },
): ConformanceReport {
  const byId = new Map<string, RequirementResult>();
  const link = (id: string, scenario: ScenarioResult, verdict: Verdict | "inconclusive") => {
    let entry = byId.get(id);
    if (!entry) {
      const known = spec.find((requirement) => requirement.id === id);
      entry = {
        id,
        level: known?.level ?? scenario.level,
        keyword: known?.keyword ?? null,
        summary: known ? summarise(known.text) : null,
        verdict: "unsupported",
        scenarios: [],
      };
      byId.set(id, entry);
    }
    entry.scenarios.push({ name: scenario.name, verdict });
  };
  for (const scenario of scenarios) {
    const blamed = scenario.blame;
    for (const id of scenario.requirements) {
      link(id, scenario, blamed !== undefined && blamed !== id ? "inconclusive" : scenario.verdict);
    }
    if (blamed !== undefined && !scenario.requirements.includes(blamed))
      link(blamed, scenario, "fail");
  }
  for (const entry of byId.values()) {
    const verdicts = entry.scenarios.map((s) => s.verdict);
    entry.verdict = verdicts.includes("fail")
      ? "fail"
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
  return { ...run, scenarios, requirements, notChecked, conforms };
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
