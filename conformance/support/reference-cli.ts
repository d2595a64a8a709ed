/**
 * How the suite starts the reference `parrot` command (the launched server, `useradd --batch` for
 * its accounts, the reference client), both from this repository's TypeScript (through tsx) and
 * from the npm package's compiled JavaScript (dist/, no tsx at run time: `npx parrot conformance`).
 * Which one runs is told by this file's own extension.
 */
import { fileURLToPath } from "node:url";

const COMPILED = import.meta.url.endsWith(".js");

/** ".ts" in the repository, ".js" in the package: the suite's step files end so. */
export const CODE_EXTENSION = COMPILED ? ".js" : ".ts";

/** The repository's root, or the package's dist/: the features and spec lie below it. */
export const SUITE_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export const REFERENCE_CLI = fileURLToPath(
  new URL(`../../cli/parrot${CODE_EXTENSION}`, import.meta.url),
);

/** `node` arguments that run REFERENCE_CLI, before its own. */
export const REFERENCE_CLI_NODE_ARGS: readonly string[] = COMPILED
  ? [REFERENCE_CLI]
  : ["--import", "tsx", REFERENCE_CLI];

/**
 * The directory launch commands run in: the repository (their paths, e.g. bin/parrot.js, are
 * relative to it), or for the package wherever the user runs the suite.
 */
export const COMMAND_DIR = COMPILED ? process.cwd() : SUITE_ROOT;

/** The reference `parrot` as a shell command line: bin/parrot.js in the repository. */
export const REFERENCE_CLI_COMMAND = COMPILED
  ? `"${process.execPath}" "${REFERENCE_CLI}"`
  : "node bin/parrot.js";
