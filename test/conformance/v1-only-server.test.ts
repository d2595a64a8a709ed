/**
 * "Unsupported" is not "failed": against the reference server started with `--versions 1`, which does
 * not speak protocol version 2, every @v2 scenario must be reported unsupported, with the reason, and
 * the run must conform (exit code 0), since nothing it could judge failed. Likewise every @v3 scenario
 * against the reference started with `--versions 1,2`.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { ConformanceReport } from "../../conformance/support/results.ts";
import { type ServerProcess, startReferenceServer } from "../../tools/launch/parrot-process.ts";
import { provisionedUsersFile } from "../../tools/launch/test-accounts.ts";
import { LOADED_MACHINE_ARGS, runSuite } from "./run-suite.ts";

interface WithoutVersion {
  /** The server's --versions. */
  versions: string;
  /** The version it lacks, whose scenarios are tagged @v<missing>. */
  missing: number;
  /** How the reason names the versions it lists. */
  listed: string;
  /** At least this many scenarios of that version ran. */
  minScenarios: number;
  /** Checks only this version's report has. */
  more?: (report: ConformanceReport) => void;
}

function judgedUnsupported({ versions, missing, listed, minScenarios, more }: WithoutVersion) {
  const tag = `@v${missing}`;
  describe(`the conformance suite against a server that speaks only versions ${versions}`, () => {
    let server: ServerProcess;
    before(async () => {
      server = await startReferenceServer(await provisionedUsersFile(), ["--versions", versions]);
    });
    after(() => server.stop());

    test(`every ${tag} scenario is unsupported, none failed, and the run conforms`, async () => {
      const run = await runSuite([
        "--target",
        `127.0.0.1:${server.port}`,
        "--tags",
        tag,
        ...LOADED_MACHINE_ARGS,
      ]);
      const report = run.report;
      assert.ok(report, `no report; stderr:\n${run.stderr}`);
      const count = report.scenarios.length;
      assert.ok(count >= minScenarios, `only ${count} ${tag} scenarios ran`);
      const reason = new RegExp(`protocol version ${missing}.*lists only \\[${listed}\\]`);
      const judged = report.scenarios.filter(
        (s) => s.verdict !== "unsupported" || !reason.test(s.reason ?? ""),
      );
      assert.deepEqual(
        judged.map((s) => `${s.verdict} ${s.name}: ${s.reason ?? ""}`),
        [],
        `every ${tag} scenario must be unsupported because the server lists only [${listed}]`,
      );
      more?.(report);
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
}

judgedUnsupported({
  versions: "1",
  missing: 2,
  listed: "1",
  minScenarios: 50,
  more: (report) => {
    const v2Requirements = report.requirements.filter((r) => /^REQ-12\./.test(r.id));
    assert.ok(v2Requirements.length >= 25, "the §12 requirements are in the report");
  },
});

judgedUnsupported({ versions: "1,2", missing: 3, listed: "1, 2", minScenarios: 8 });
