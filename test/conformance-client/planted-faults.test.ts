/**
 * Proof that the client suite judges: the minimal client with one planted fault each
 * (planted-faults.ts) fails the scenarios of its fault, and every other scenario of the run passes.
 * Each run selects the scenarios of the fault's rule plus neighbours that must still pass (not the
 * @commands ones, which the minimal client does not declare).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  MINIMAL_CLIENT,
  minimalClientArgs,
  mismatches,
  runClientSuite,
} from "./client-suite-run.ts";
import { PLANTED_FAULTS, type PlantedFault } from "./planted-faults.ts";

interface Variant {
  fault: PlantedFault;
  tags: string;
  /** A scenario fails if it cites one of these requirements or its name starts with one of these. */
  failing: string[];
  /** Failures must be pinned on this requirement (a check that runs in every scenario). */
  blame?: string;
  /** The run's exit code: 1 when a MUST fails, 0 when only SHOULDs do. */
  code: 0 | 1;
}

const CLOSING_ERROR_SCENARIOS = ["A closing ERROR", "An ERROR in place of the VERSION_RESPONSE"];

const VARIANTS: Variant[] = [
  {
    fault: "login-before-response",
    tags: "@REQ-4.1",
    failing: ["REQ-4.1"],
    blame: "REQ-4.1",
    code: 1,
  },
  {
    fault: "header-version-zero",
    // The two scenarios that end before negotiation must still pass.
    tags: "@REQ-4.5 or @REQ-4.6 or @REQ-9.6",
    failing: ["REQ-4.5", "BAD_CREDENTIALS then", "A closing ERROR"],
    blame: "REQ-4.5",
    code: 1,
  },
  {
    fault: "never-pings",
    tags: "@REQ-7.1 or @REQ-7.12 or @REQ-5.9",
    failing: ["REQ-7.1", "REQ-7.12"],
    code: 1,
  },
  {
    fault: "trusts-login-text",
    tags: "@REQ-5.9 or @REQ-9.6 or @REQ-4.1",
    failing: ["REQ-5.9"],
    code: 1,
  },
  {
    fault: "ignores-silence",
    tags: "@REQ-7.8 or @REQ-5.9",
    failing: ["REQ-7.8"],
    code: 0,
  },
  {
    fault: "reuses-message-ids",
    tags: "@REQ-6.7 or @REQ-2.4",
    failing: ["CHATs in flight carry distinct message ids"],
    code: 0,
  },
  {
    fault: "no-error-on-bad-frame",
    tags: "@REQ-8.2 or @REQ-8.5",
    failing: ["REQ-8.2"],
    code: 1,
  },
  {
    fault: "ignores-closing-error",
    tags: "@REQ-9.6 or @REQ-4.11",
    failing: CLOSING_ERROR_SCENARIOS,
    code: 1,
  },
  {
    fault: "resumes-from-first-id",
    tags: "@v3 and (@REQ-15.25 or @REQ-15.24 or @REQ-15.26)",
    failing: ["REQ-15.25"],
    code: 1,
  },
  {
    fault: "shows-duplicates",
    tags: "@v3 and (@REQ-15.17 or @REQ-15.24)",
    failing: ["A message with an id the client already showed"],
    code: 0,
  },
  {
    fault: "history-beyond-max-page",
    tags: "@v3 and (@REQ-15.27 or @REQ-15.24)",
    failing: ["A history request asks for no more"],
    code: 0,
  },
];

// Two runs at once: the minimal client's timers keep wide margins (it pings at half the interval).
describe("the client suite fails a client where its planted fault is, and only there", {
  concurrency: 2,
}, () => {
  for (const variant of VARIANTS) {
    test(`${variant.fault}: ${PLANTED_FAULTS[variant.fault]}`, async () => {
      const run = await runClientSuite(`${MINIMAL_CLIENT} --fault ${variant.fault}`, [
        ...minimalClientArgs(variant.fault),
        "--tags",
        `(${variant.tags}) and not @commands`,
      ]);
      const fails = (scenario: { name: string; requirements: string[] }) =>
        variant.failing.some(
          (mark) => scenario.requirements.includes(mark) || scenario.name.startsWith(mark),
        );
      assert.deepEqual(
        mismatches(run, (scenario) => (fails(scenario) ? "fail" : "pass")),
        [],
      );
      const scenarios = run.report?.scenarios ?? [];
      // Where a check of every scenario blames the fault, every scenario may fail; else some pass.
      assert.ok(
        variant.blame !== undefined || scenarios.some((s) => s.verdict === "pass"),
        "nothing passed",
      );
      if (variant.blame) {
        const blamedElsewhere = scenarios.filter(
          (s) => s.verdict === "fail" && s.blame !== variant.blame,
        );
        assert.deepEqual(
          blamedElsewhere.map((s) => `${s.name}: ${s.blame ?? "no blame"}`),
          [],
        );
      }
      assert.equal(run.code, variant.code, run.stdout);
    });
  }
});
