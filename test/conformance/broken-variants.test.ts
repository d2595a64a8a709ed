/**
 * Proof that the conformance suite can fail: it is run against deliberately broken variants of the
 * reference server (broken-servers/, one collaborator swapped in each), and the scenarios that check
 * the broken rule must fail while the others in the same run still pass. A suite that passed these
 * would be judging nothing.
 *
 * Each run selects the scenarios of the broken requirement plus a small sanity subset, to stay fast.
 */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { provisionedUsersFile } from "../../tools/launch/test-accounts.ts";
import { variantCommand } from "./broken-servers/variant-command.ts";
import { LOADED_MACHINE_ARGS, REPO, runSuite, type SuiteRun } from "./run-suite.ts";

interface Variant {
  file: string;
  /** What is broken, in the spec's words. */
  breaks: string;
  tags: string;
  /** Scenarios citing any of these requirements must fail; every other selected scenario must pass. */
  failing: string[];
  /** More options for the run. */
  args?: string[];
}

const VARIANTS: Variant[] = [
  {
    file: "accepts-duplicate-logins.ts",
    breaks: "one live login per user (REQ-5.3)",
    tags: "@REQ-5.3 or @REQ-5.5 or @REQ-5.1 or @REQ-9.1",
    failing: ["REQ-5.3", "REQ-5.5"],
  },
  {
    file: "never-times-out.ts",
    breaks: "ping and handshake timeouts (REQ-7.4, REQ-7.9)",
    tags: "@REQ-7.4 or @REQ-7.9 or @REQ-7.7 or @REQ-7.2",
    failing: ["REQ-7.4", "REQ-7.9", "REQ-7.7"],
  },
  {
    file: "ignores-header-version.ts",
    breaks: "WRONG_VERSION on a wrong header version (REQ-4.10)",
    tags: "@REQ-4.10 or @REQ-4.2 or @REQ-4.3 or @REQ-7.2",
    failing: ["REQ-4.10"],
  },
  {
    file: "reorders-echoes-under-load.ts",
    breaks: "echo order under load (REQ-6.3)",
    tags: "@REQ-6.3 or @REQ-6.1",
    // The pipelined single-session scenario also cites REQ-6.3, but one session is not load: it passes.
    failing: ["Every concurrent session gets exactly its own echoes, in order"],
  },
  {
    file: "loses-room-fan-out.ts",
    breaks: "room fan-out to every member, once, in one order (REQ-12.16, REQ-12.8)",
    // The other room scenarios (joins, leaves, refusals, rooms of two) must still pass.
    tags: "@v2 and (@REQ-12.16 or @REQ-12.8 or @REQ-12.13 or @REQ-12.15 or @REQ-12.17)",
    failing: ["REQ-12.16", "REQ-12.8"],
    // Each failing scenario waits out the reply timeout for the message that never comes.
    args: ["--reply-timeout", "4"],
  },
  {
    file: "reorders-room-messages.ts",
    breaks: "one order of a room's PDUs for every member (REQ-12.8)",
    // Nothing is lost: the scenarios that look at single messages pass; only comparing whole
    // histories across members shows it.
    tags: "@v2 and (@REQ-12.8 or @REQ-12.16)",
    failing: ["REQ-12.8"],
  },
  {
    file: "fires-timers-early.ts",
    breaks: "no timer fires before its deadline (REQ-7.4, REQ-7.9, REQ-12.25)",
    tags: "@REQ-7.4 or @REQ-7.9 or @REQ-12.25 or @REQ-7.2",
    failing: ["REQ-7.4", "REQ-7.9", "REQ-12.25"],
    // The variant's typing timeout; LOADED_MACHINE_ARGS' generous --slack must not excuse early timers.
    args: ["--typing-timeout", "2"],
  },
];

describe("the conformance suite fails broken servers where they are broken, and only there", () => {
  let usersFile: string;
  before(async () => {
    usersFile = await provisionedUsersFile();
  });

  for (const variant of VARIANTS) {
    test(`${variant.file}: breaks ${variant.breaks}`, async () => {
      const command = variantCommand(variant.file, usersFile);
      const run = await runSuite([
        "--launch",
        command,
        "--tags",
        variant.tags,
        ...LOADED_MACHINE_ARGS,
        ...(variant.args ?? []),
      ]);
      assertFailsExactly(run, variant);
    });
  }
});

function assertFailsExactly(run: SuiteRun, variant: Variant): void {
  const report = run.report;
  assert.ok(report, `no report written; stderr:\n${run.stderr}`);
  const shouldFail = (scenario: { name: string; requirements: string[] }) =>
    variant.failing.some((mark) => scenario.name === mark || scenario.requirements.includes(mark));
  const wrong = report.scenarios
    .filter((scenario) => (scenario.verdict === "fail") !== shouldFail(scenario))
    .map(
      (s) => `${s.verdict.toUpperCase()} ${s.requirements.join(" ")} ${s.name}: ${s.reason ?? ""}`,
    );
  assert.deepEqual(
    wrong,
    [],
    `scenarios whose verdict does not match the broken rule (cwd ${REPO})`,
  );
  assert.ok(
    report.scenarios.some((s) => s.verdict === "fail"),
    "nothing failed",
  );
  assert.ok(
    report.scenarios.some((s) => s.verdict === "pass"),
    "the sanity subset did not run",
  );
  assert.equal(report.conforms, false);
  assert.equal(run.code, 1);
  assert.match(run.stdout, /VERDICT: does NOT conform/);
}
