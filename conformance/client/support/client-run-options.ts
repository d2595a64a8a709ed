/**
 * The command line of the client suite (`make conformance-client CLIENT="..."`, or
 * `conformance/run.ts --client "..."`), parsed into one options object. Bad options are a usage error
 * (exit 2), never a failed run.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { REFERENCE_CLI_COMMAND } from "../../support/reference-cli.ts";
import { UsageError } from "../../support/run-options.ts";
import { type SuiteDefaults, shownPath } from "../../support/suite-defaults.ts";

/**
 * The reference client through the contract: scripted mode reads the password from PARROT_PASSWORD and
 * each stdin line as a message or a command. It declares the command lines and the exit codes.
 */
export const REFERENCE_CLIENT = `PARROT_PASSWORD={password} ${REFERENCE_CLI_COMMAND} client -s {host} -p {port} --user {user} --versions {versions}`;

/** The reference client for the scenarios that drop its connection: the same, reconnecting. */
export const REFERENCE_CLIENT_RECONNECTING = `${REFERENCE_CLIENT} --reconnect`;

/** The help text, naming the defaults this run uses (suite-defaults.ts). */
export function clientUsage(defaults: SuiteDefaults): string {
  const make = '\n       make conformance-client [CLIENT="COMMAND"] [ARGS="options"]';
  return `Usage: ${defaults.command} --client ["COMMAND"] [options]${defaults.inRepository ? make : ""}

Runs the Parrot client conformance suite: for each scenario a scripted server on a free loopback
port, and the client under test started with COMMAND (conformance/README.md, "The client launcher
contract"; placeholders {host} {port} {user} {password} {versions}; lines to send on stdin).

Client (default: the reference client, which declares both options below):
  --client "COMMAND"       the client under test
  --client-commands        it reads the contract's command lines (/msg, /join, /say, /typing, ...)
  --client-exit-codes      it exits with the contract's exit codes and names the codes it is told
  --client-v3              it speaks version 3 when {versions} lists 3: /join and /history lines,
                           the version-3 output lines (conformance/README.md)
  --client-reconnect "COMMAND"
                           the command for the scenarios that drop the connection: the client
                           connects again and resumes its rooms (@reconnect; else unsupported)

Selection and verdict:
  --tags EXPR              cucumber tag expression, e.g. "@MUST", "@REQ-7.1"
  --name REGEX             run only scenarios whose name matches
  --strict                 SHOULD failures also fail the run
  --list                   list the scenarios (with their tags) instead of running them

Timers, load and files:
  --reply-timeout S        how long the client may take to do what it was just told (default 5)
  --parallel N             run N scenarios at once, each with its own server and client (default 1)
  --reports DIR            where reports go (default ${shownPath(defaults.clientReportsDir)})
  -h, --help               this text
`;
}

export interface ClientRunOptions {
  command: string;
  commands: boolean;
  exitCodes: boolean;
  v3: boolean;
  reconnectCommand: string | null;
  tags: string;
  names: string[];
  strict: boolean;
  list: boolean;
  replyTimeoutMs: number;
  parallel: number;
  reportsDir: string;
  help: boolean;
}

export function parseClientRunOptions(
  argv: readonly string[],
  defaults: { reportsDir: string },
): ClientRunOptions {
  let values: ReturnType<typeof parse>["values"];
  try {
    values = parse(argv).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  // `--client` alone (or an empty COMMAND, as `make conformance-client` passes) is the reference client.
  const command = values.client?.trim() || null;
  const replyTimeout = Number(values["reply-timeout"] ?? 5);
  if (!Number.isFinite(replyTimeout) || replyTimeout <= 0) {
    throw new UsageError(`--reply-timeout must be seconds, got "${values["reply-timeout"]}"`);
  }
  const parallel = Number(values.parallel ?? 1);
  if (!Number.isInteger(parallel) || parallel < 1) {
    throw new UsageError(`--parallel must be a whole number above 0, got "${values.parallel}"`);
  }
  return {
    command: command ?? REFERENCE_CLIENT,
    commands: command ? (values["client-commands"] ?? false) : true,
    exitCodes: command ? (values["client-exit-codes"] ?? false) : true,
    v3: command ? (values["client-v3"] ?? false) : true,
    reconnectCommand: command
      ? values["client-reconnect"]?.trim() || null
      : REFERENCE_CLIENT_RECONNECTING,
    tags: values.tags ?? "",
    names: values.name ? [values.name] : [],
    strict: values.strict ?? false,
    list: values.list ?? false,
    replyTimeoutMs: replyTimeout * 1000,
    parallel,
    // Absolute: cucumber writes its reports from the suite's own directory, not the caller's.
    reportsDir: resolve(values.reports ?? defaults.reportsDir),
    help: values.help ?? false,
  };
}

function parse(argv: readonly string[]) {
  // "--client" may come with no COMMAND (last, or before another option): give it an empty one.
  const args = argv.flatMap((arg, i) =>
    arg === "--client" && (i === argv.length - 1 || argv[i + 1]!.startsWith("-"))
      ? [arg, ""]
      : [arg],
  );
  return parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      client: { type: "string" },
      "client-commands": { type: "boolean" },
      "client-exit-codes": { type: "boolean" },
      "client-v3": { type: "boolean" },
      "client-reconnect": { type: "string" },
      tags: { type: "string" },
      name: { type: "string" },
      strict: { type: "boolean" },
      list: { type: "boolean" },
      "reply-timeout": { type: "string" },
      parallel: { type: "string" },
      reports: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}
