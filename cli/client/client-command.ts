/**
 * `parrot client`: parses the command line, picks interactive or scripted mode, and turns however
 * the run ended into an exit code with its reason on stderr. The only place that knows about
 * process.stdin/stdout/env; the modes get them as parameters.
 */
import { ReadStream, WriteStream } from "node:tty";
import { ClientFailure } from "../../client/client-failure.ts";
import { clientHelp } from "./client-help.ts";
import { type ClientOptions, parseClientCommandLine } from "./client-options.ts";
import { ExitCode } from "./exit-codes.ts";
import { runInteractive } from "./interactive-mode.ts";
import { runScripted } from "./scripted-mode.ts";

export async function runClientCommand(argv: string[]): Promise<number> {
  // A closed stderr (`2>&1 | head -1`) leaves nowhere to report anything: drop what is written to
  // it rather than crash. A closed stdout is scripted mode's business (scripted-mode.ts).
  process.stderr.on("error", () => {});
  try {
    const parsed = parseClientCommandLine(argv, process.env);
    if (parsed.kind === "help") {
      process.stdout.write(clientHelp());
      return ExitCode.OK;
    }
    return await run(parsed.options);
  } catch (error) {
    if (!(error instanceof ClientFailure)) throw error;
    process.stderr.write(`parrot client: ${error.message}\n`);
    if (error.reason === "USAGE") process.stderr.write("Try 'parrot client --help'.\n");
    return ExitCode[error.reason];
  }
}

function run(options: ClientOptions): Promise<number> {
  const { stdin, stdout, stderr } = process;
  if (!options.tls && !isLoopback(options.host)) {
    // REQ-10.7: LOGIN_REQUEST carries the password in clear; say so rather than refuse, since a
    // trusted LAN is a legitimate place to run without TLS.
    stderr.write(
      `parrot client: warning: the password goes to ${options.host} in clear over plain TCP; ` +
        "use --tls on any network you do not trust\n",
    );
  }
  // --send is a script's way of talking even from a terminal, so it selects scripted mode too.
  if (stdin instanceof ReadStream && stdout instanceof WriteStream && options.sends.length === 0) {
    return runInteractive(options, { input: stdin, output: stdout });
  }
  return runScripted(options, {
    stdin,
    stdout,
    stderr,
    terminalStdin: stdin instanceof ReadStream ? stdin : undefined,
  });
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}
