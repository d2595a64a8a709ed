/**
 * "Unsupported" is not "failed": against the reference server started with `--versions 1`, which does
 * not speak protocol version 2, every @v2 scenario must be reported unsupported, with the reason, and
 * the run must conform (exit code 0), since nothing it could judge failed. Likewise every @v3 scenario
 * against the reference started with `--versions 1,2`.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type ServerProcess, startReferenceServer } from "../../tools/launch/parrot-process.ts";
import { provisionedUsersFile } from "../../tools/launch/test-accounts.ts";
import { LOADED_MACHINE_ARGS, runSuite } from "./run-suite.ts";

describe("the conformance suite against a server that speaks only version 1", () => {
  let server: ServerProcess;
  before(async () => {
    server = await startReferenceServer(await provisionedUsersFile(), ["--versions", "1"]);
  });
  after(() => server.stop());

  test("every @v2 scenario is unsupported, none failed, and the run conforms", async () => {
    const run = await runSuite([
      "--target",
      `127.0.0.1:${server.port}`,
      "--tags",
      "@v2",
      ...LOADED_MACHINE_ARGS,
    ]);
    const report = run.report;
    assert.ok(report, `no report; stderr:\n${run.stderr}`);
    assert.ok(report.scenarios.length >= 50, `only ${report.scenarios.length} @v2 scenarios ran`);
    const judged = report.scenarios.filter(
      (s) =>
        s.verdict !== "unsupported" || !/protocol version 2.*lists only \[1\]/.test(s.reason ?? ""),
    );
    assert.deepEqual(
      judged.map((s) => `${s.verdict} ${s.name}: ${s.reason ?? ""}`),
      [],
      "every @v2 scenario must be unsupported because the server lists only version 1",
    );
    const v2Requirements = report.requirements.filter((r) => /^REQ-12\./.test(r.id));
    assert.ok(v2Requirements.length >= 25, "the §12 requirements are in the report");
    for (const requirement of report.requirements) {
      assert.equal(
        requirement.verdict,
        "unsupported",
        `${requirement.id} is ${requirement.verdict}`,
      );
    }
    assert.equal(report.conforms, true);
    assert.equal(run.code, 0, run.stdout.slice(-3000) + run.stderr);
    assert.match(run.stdout, /Unsupported \(could not be judged in this run\):/);
    assert.match(run.stdout, /VERDICT: conforms/);
  });
});

describe("the conformance suite against a server that speaks versions 1 and 2 only", () => {
  let server: ServerProcess;
  before(async () => {
    server = await startReferenceServer(await provisionedUsersFile(), ["--versions", "1,2"]);
  });
  after(() => server.stop());

  test("every @v3 scenario is unsupported, none failed, and the run conforms", async () => {
    const run = await runSuite([
      "--target",
      `127.0.0.1:${server.port}`,
      "--tags",
      "@v3",
      ...LOADED_MACHINE_ARGS,
    ]);
    const report = run.report;
    assert.ok(report, `no report; stderr:\n${run.stderr}`);
    assert.ok(report.scenarios.length >= 8, `only ${report.scenarios.length} @v3 scenarios ran`);
    const judged = report.scenarios.filter(
      (s) =>
        s.verdict !== "unsupported" ||
        !/protocol version 3.*lists only \[1, 2\]/.test(s.reason ?? ""),
    );
    assert.deepEqual(
      judged.map((s) => `${s.verdict} ${s.name}: ${s.reason ?? ""}`),
      [],
      "every @v3 scenario must be unsupported because the server lists only versions 1 and 2",
    );
    for (const requirement of report.requirements) {
      assert.equal(
        requirement.verdict,
        "unsupported",
        `${requirement.id} is ${requirement.verdict}`,
      );
    }
    assert.equal(report.conforms, true);
    assert.equal(run.code, 0, run.stdout.slice(-3000) + run.stderr);
  });
});
