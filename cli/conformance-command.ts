/**
 * `parrot conformance [options]`: the conformance suite (conformance/run.ts) as a subcommand of the
 * installed package, so `npx parrot conformance --target HOST:PORT` judges any server. It runs in
 * a process of its own, as `make conformance` runs it, and its exit code is passed on. Reports go
 * to ./parrot-conformance-reports unless --reports says otherwise: the package's own directory
 * may not be writable, and is no place for them.
 */
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { fileURLToPath } from "node:url";

const COMPILED = import.meta.url.endsWith(".js");
const RUNNER = fileURLToPath(
  new URL(`../conformance/run${COMPILED ? ".js" : ".ts"}`, import.meta.url),
);
const DEFAULT_REPORTS = "parrot-conformance-reports";

export async function runConformanceCommand(argv: readonly string[]): Promise<number> {
  const givesReports = argv.some((arg) => arg === "--reports" || arg.startsWith("--reports="));
  const args = [
    ...(COMPILED ? [] : ["--import", "tsx"]),
    RUNNER,
    ...argv,
    ...(givesReports ? [] : ["--reports", DEFAULT_REPORTS]),
  ];
  const child = spawn(process.execPath, args, { stdio: "inherit" });
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
