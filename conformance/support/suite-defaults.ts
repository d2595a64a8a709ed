/**
 * What the suite uses when not told otherwise, and how it is invoked, in one place: the help
 * texts print these values, so they name the files the code reads and writes. `make conformance`
 * runs conformance/run.ts as it is; the installed package's `parrot conformance`
 * (cli/conformance-command.ts) runs it with PARROT_CONFORMANCE_COMMAND and
 * PARROT_CONFORMANCE_REPORTS set, because its own directory is no place for reports.
 */
import { isAbsolute, join, relative } from "node:path";
import { CONFORMANCE_DIR } from "./cucumber-config.ts";

export interface SuiteDefaults {
  /** The command line a user typed to run the suite, for "Usage:". */
  command: string;
  /** Run from the repository (so its make targets are there), not the installed package. */
  inRepository: boolean;
  accountsFile: string;
  reportsDir: string;
  /** Where the client suite (--client) reports. */
  clientReportsDir: string;
}

export function suiteDefaults(env: NodeJS.ProcessEnv = process.env): SuiteDefaults {
  const reportsDir = env.PARROT_CONFORMANCE_REPORTS || join(CONFORMANCE_DIR, "reports");
  return {
    command: env.PARROT_CONFORMANCE_COMMAND || "node --import tsx conformance/run.ts",
    inRepository: !env.PARROT_CONFORMANCE_COMMAND,
    accountsFile: join(CONFORMANCE_DIR, "fixtures", "accounts.json"),
    reportsDir,
    clientReportsDir: join(reportsDir, "client"),
  };
}

/** A path as a help text shows it: relative to the working directory when inside it. */
export function shownPath(path: string): string {
  const inside = relative(process.cwd(), path);
  return inside === "" || inside.startsWith("..") || isAbsolute(inside) ? path : inside;
}
