/**
 * Runs conformance/run.ts as a child process, the way `make conformance` does, and reads back the
 * reports it wrote. Shared by the tests in this folder.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ConformanceReport } from "../../conformance/support/results.ts";

export const REPO = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Extra room for a machine shared with other test runs: our own tests judge the reference server, and
 * a busy event loop here must not look like a late timer there.
 */
export const LOADED_MACHINE_ARGS = ["--slack", "1", "--reply-timeout", "8"];

export interface SuiteRun {
  code: number | null;
  stdout: string;
  stderr: string;
  reportsDir: string;
  report: ConformanceReport | undefined;
}

/** `script`: conformance/run.ts, or another front door to it (tools/conformance-cluster.ts). */
export async function runSuite(
  args: readonly string[],
  script = join("conformance", "run.ts"),
): Promise<SuiteRun> {
  const reportsDir = mkdtempSync(join(tmpdir(), "parrot-conformance-test-"));
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(REPO, script), "--reports", reportsDir, ...args],
    { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  let report: ConformanceReport | undefined;
  try {
    report = JSON.parse(
      readFileSync(join(reportsDir, "requirements.json"), "utf8"),
    ) as ConformanceReport;
  } catch {
    report = undefined;
  }
  return { code, stdout, stderr, reportsDir, report };
}

/** The scenario verdicts of a run, by name, for assertions and for readable failure messages. */
export function verdicts(run: SuiteRun): Map<string, string> {
  if (!run.report) {
    throw new Error(
      `no requirements.json was written\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`,
    );
  }
  return new Map(run.report.scenarios.map((s) => [s.name, s.verdict]));
}
