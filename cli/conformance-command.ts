/**
 * `parrot conformance [options]`: the conformance suite (conformance/run.ts) as a subcommand of the
 * installed package, so `npx parrot conformance --target HOST:PORT` judges any server. It runs in
 * a process of its own, as `make conformance` runs it, and its exit code is passed on. Reports go
 * to ./parrot-conformance-reports unless --reports says otherwise: the package's own directory
 * may not be writable, and is no place for them. The suite is told so through the environment
 * (conformance/support/suite-defaults.ts), so that its --help names the directory it will use.
 */
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

const COMPILED = import.meta.url.endsWith(".js");
const RUNNER = fileURLToPath(
  new URL(`../conformance/run${COMPILED ? ".js" : ".ts"}`, import.meta.url),
);
const DEFAULT_REPORTS = "parrot-conformance-reports";

export async function runConformanceCommand(argv: readonly string[]): Promise<number> {
  // tsx resolved from here, not from the working directory, which may be anywhere.
  const args = [...(COMPILED ? [] : ["--import", import.meta.resolve("tsx")]), RUNNER, ...argv];
  const env = {
    ...process.env,
    PARROT_CONFORMANCE_COMMAND: "parrot conformance",
    PARROT_CONFORMANCE_REPORTS: process.env.PARROT_CONFORMANCE_REPORTS || resolve(DEFAULT_REPORTS),
  };
  const child = spawn(process.execPath, args, { stdio: "inherit", env });
  // Ctrl+C reaches the suite through the terminal's process group; this process waits for it.
  const ignore = () => {};
  process.on("SIGINT", ignore);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", (code, signal) =>
        resolve(code ?? 128 + (signal === null ? 0 : constants.signals[signal])),
      );
    });
  } finally {
    process.off("SIGINT", ignore);
  }
}
