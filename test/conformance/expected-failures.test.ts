/**
 * Known failures (--expected-failures): the file format is checked, expected failures are reported
 * apart and do not fail the run, a failure pinned on some other requirement is still news, and an
 * entry whose scenarios pass is reported as unexpectedly passed. End to end against a server that
 * accepts duplicate logins, with that listed as known.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import {
  ExpectedFailuresError,
  readExpectedFailures,
} from "../../conformance/report/expected-failures.ts";
import { buildReport, type ScenarioResult } from "../../conformance/support/results.ts";
import { usersFileOf } from "../../tools/launch/test-accounts.ts";
import { LOADED_MACHINE_ARGS, REPO, runSuite } from "./run-suite.ts";

function file(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "parrot-xfail-")), "expected-failures.yaml");
  writeFileSync(path, text);
  return path;
}

function scenario(
  name: string,
  requirements: string[],
  verdict: ScenarioResult["verdict"],
  blame?: string,
) {
  return {
    name,
    feature: "x.feature",
    tags: [...requirements.map((r) => `@${r}`), "@MUST"],
    level: "MUST" as const,
    requirements,
    verdict,
    ...(verdict === "fail" ? { reason: blame ? `[${blame}] broke` : "broke" } : {}),
    ...(blame ? { blame } : {}),
  };
}

const RUN = { target: "t", strict: false, tags: "", filtered: false };

describe("expected failures", () => {
  test("the example file in conformance/ is valid", () => {
    const entries = readExpectedFailures(
      join(REPO, "conformance", "expected-failures.example.yaml"),
    );
    assert.ok(entries.length >= 2);
    assert.ok(entries.every((e) => e.reason.length > 0));
  });

  test("an entry needs exactly one of requirement and scenario, a reason, and no other field", () => {
    for (const [text, problem] of [
      ["- requirement: REQ-5.3\n  scenario: x\n  reason: y\n", /exactly one of/],
      ["- reason: y\n", /exactly one of/],
      ["- requirement: REQ-5.3\n", /"reason" is required/],
      ['- requirement: "5.3"\n  reason: y\n', /not a requirement id/],
      ["- requirement: REQ-5.3\n  reason: y\n  url: z\n", /unknown field url/],
      ["requirement: REQ-5.3\n", /a list of entries/],
    ] as const) {
      assert.throws(
        () => readExpectedFailures(file(text)),
        (error: Error) => {
          assert.ok(error instanceof ExpectedFailuresError);
          assert.match(error.message, problem);
          assert.match(error.message, /entry 1|a list/);
          return true;
        },
      );
    }
  });

  test("an expected failure does not fail the run; a failure pinned elsewhere does; a pass is news", () => {
    const entries = [
      { requirement: "REQ-5.3", reason: "known", link: "https://example.org/1" },
      { requirement: "REQ-6.1", reason: "thought broken" },
      { scenario: "never ran", reason: "gone" },
    ];
    const report = buildReport(
      [
        scenario("dup", ["REQ-5.3"], "fail"),
        scenario("dup blamed elsewhere", ["REQ-5.3"], "fail", "REQ-4.9"),
        scenario("echo", ["REQ-6.1"], "pass"),
      ],
      [],
      RUN,
      entries,
    );
    const verdicts = Object.fromEntries(report.requirements.map((r) => [r.id, r.verdict]));
    assert.deepEqual(verdicts, {
      "REQ-4.9": "fail",
      "REQ-5.3": "expected-fail",
      "REQ-6.1": "pass",
    });
    assert.equal(report.conforms, false, "the failure pinned on REQ-4.9 was not expected");
    assert.deepEqual(
      report.expectedFailures.map((e) => [e.requirement ?? e.scenario, e.outcome, e.scenarios]),
      [
        ["REQ-5.3", "failed", ["dup"]],
        ["REQ-6.1", "unexpectedly passed", ["echo"]],
        ["never ran", "not run", []],
      ],
    );
    const withoutBlame = buildReport([scenario("dup", ["REQ-5.3"], "fail")], [], RUN, entries);
    assert.equal(withoutBlame.conforms, true);
  });

  test("end to end: a server known to accept duplicate logins passes the run, and says so", async () => {
    const expected = file(
      [
        "- requirement: REQ-5.3",
        "  reason: logins are not exclusive yet",
        "  link: https://example.org/issues/53",
        "- requirement: REQ-5.1",
        "  reason: thought broken, but is not",
        "",
      ].join("\n"),
    );
    const { loadAccounts } = await import("../../conformance/support/accounts.ts");
    const fixture = loadAccounts(join(REPO, "conformance", "fixtures", "accounts.json"));
    const users = await usersFileOf([...fixture.accounts, ...fixture.load], {
      N: 1024,
      r: 8,
      p: 1,
    });
    const run = await runSuite([
      "--launch",
      `node --import tsx test/conformance/broken-servers/accepts-duplicate-logins.ts -l {host} -p 0 --users ${users} --log-level warn`,
      "--tags",
      "@v1 and (@REQ-5.3 or @REQ-5.1)",
      "--expected-failures",
      expected,
      ...LOADED_MACHINE_ARGS,
    ]);
    const report = run.report;
    assert.ok(report, run.stdout + run.stderr);
    assert.equal(run.code, 0, run.stdout.slice(-3000));
    assert.equal(report.conforms, true);
    const failed = report.scenarios.filter((s) => s.verdict === "fail");
    assert.ok(failed.length >= 2, "the duplicate-login scenarios did not fail");
    assert.ok(failed.every((s) => s.expected?.requirement === "REQ-5.3"));
    assert.deepEqual(
      report.expectedFailures.map((e) => [e.requirement, e.outcome]),
      [
        ["REQ-5.3", "failed"],
        ["REQ-5.1", "unexpectedly passed"],
      ],
    );
    assert.match(run.stdout, /XFAIL\s+duplicate-login: A second login is refused/);
    assert.match(
      run.stdout,
      /Expected failures \(listed in --expected-failures[^\n]*\n\s+REQ-5\.3/,
    );
    assert.match(
      run.stdout,
      /expected: logins are not exclusive yet \(https:\/\/example\.org\/issues\/53\)/,
    );
    assert.match(run.stdout, /Unexpectedly passed[^\n]*\n\s+REQ-5\.1: thought broken, but is not/);
    assert.doesNotMatch(run.stdout, /^Failures:/m, "expected failures were printed as failures");
    assert.match(run.stdout, /VERDICT: conforms/);
  });
});
