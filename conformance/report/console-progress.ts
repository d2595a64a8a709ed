/**
 * The console while a run goes on: one line per scenario as it finishes, with its verdict, feature,
 * name and time, and for a failure or an unsupported scenario the first line of why. Replaces
 * cucumber's progress formatter (a dot per step, 1 582 of them, then every failure twice: its message
 * and its transcripts attachment). The failures in full, transcripts and all, come once, in the summary
 * at the end (summary.ts).
 */
import { basename } from "node:path";
import type { ScenarioResult } from "../support/results.ts";
import { type ExpectedFailure, expectedFailureOf } from "./expected-failures.ts";

const LABELS = {
  pass: "PASS ",
  fail: "FAIL ",
  "expected-fail": "XFAIL",
  unsupported: "UNSUP",
} as const;

export class ConsoleProgress {
  private done = 0;

  constructor(
    private readonly write: (text: string) => void,
    private readonly total: () => number,
    private readonly expected: readonly ExpectedFailure[],
  ) {}

  /** Called as each scenario finishes. */
  scenarioFinished(scenario: ScenarioResult): void {
    this.done++;
    const total = String(this.total());
    const counter = `[${String(this.done).padStart(total.length)}/${total}]`;
    const verdict =
      scenario.verdict === "fail" && expectedFailureOf(scenario, this.expected)
        ? "expected-fail"
        : scenario.verdict;
    const time =
      scenario.durationMs === undefined ? "" : ` (${(scenario.durationMs / 1000).toFixed(1)} s)`;
    const where = basename(scenario.feature, ".feature");
    let line = `${counter} ${LABELS[verdict]} ${where}: ${scenario.name}${time}`;
    const indent = " ".repeat(counter.length + 7);
    if (verdict !== "pass") {
      const why = (scenario.reason ?? "").split("\n")[0]?.trim();
      if (why) line += `\n${indent}${why}`;
    }
    // With several targets: which node each session used (the run's first line lists the nodes).
    if (scenario.placements) {
      const where = scenario.placements.split("\n").map((each) => each.replace(/ \(.*\)$/, ""));
      line += `\n${indent}on ${where.join(", ")}`;
    }
    this.write(`${line}\n`);
  }
}
