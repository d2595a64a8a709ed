/** The `parrot server --help` text, one entry per row of the flag table (server-flags.ts). */
import { SERVER_FLAGS, type ServerFlag } from "./server-flags.ts";

const DESCRIPTION_COLUMN = 31;
const WIDTH = 100;

const HEAD = `Usage: parrot server [options]

Runs the Parrot reference server. Prints one line on stdout per listener once it listens:
  parrot server listening on HOST:PORT (tcp|tls)
  parrot server listening on HOST:PORT (ws|wss)      with --ws-port
  parrot server listening on HOST:PORT (quic)        with --quic-port
Logs go to stderr (JSON, or human-readable in a terminal).

Options (environment variable in brackets; flags win over it, and it over the config file, whose
keys are the long flags without their dashes):`;

const TAIL = `Seconds may be fractional (e.g. 0.5). SIGINT or SIGTERM shuts down gracefully: every client gets
ERROR SERVER_SHUTDOWN, then the server exits 0. SIGHUP reloads the users file, the TLS
certificate and key and the log level, and logs what changed.`;

export const SERVER_USAGE = [
  HEAD,
  ...SERVER_FLAGS.map(describeFlag),
  describe("  -h, --help", "show this help"),
  describe("  -V, --version", "print the version"),
  "",
  TAIL,
].join("\n");

function describeFlag(flag: ServerFlag): string {
  const short = flag.short === undefined ? "    " : `-${flag.short}, `;
  const argument = flag.argument === undefined ? "" : ` ${flag.argument}`;
  const variable = flag.kind === "switch" ? `${flag.variable}=1` : flag.variable;
  return describe(`  ${short}--${flag.name}${argument}`, `${flag.help} [${variable}]`);
}

/** The name, then the text wrapped at WIDTH in a column of its own (below the name if too long). */
function describe(name: string, text: string): string {
  const indent = " ".repeat(DESCRIPTION_COLUMN);
  const lines: string[] = [];
  let line = name.length < DESCRIPTION_COLUMN - 1 ? name.padEnd(DESCRIPTION_COLUMN) : "";
  if (line === "") lines.push(name);
  let empty = true;
  for (const word of text.split(" ")) {
    if (!empty && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = indent;
      empty = true;
    }
    if (line === "") line = indent;
    line += empty ? word : ` ${word}`;
    empty = false;
  }
  lines.push(line);
  return lines.join("\n");
}
