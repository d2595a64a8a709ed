#!/usr/bin/env node
/**
 * The `parrot` command: dispatches to `parrot server`, `parrot client`, the account commands
 * (`useradd`, `passwd`, `userdel`, `users`) and `parrot conformance` (conformance-command.ts).
 * The npm package's `bin` is this file compiled (dist/cli/parrot.js); in the repository
 * bin/parrot.js runs it through tsx.
 * Each subcommand returns its exit code; this file is the only place that exits the process.
 * Subcommands are imported lazily so that one of them failing to load cannot break the others.
 */
import { readFileSync } from "node:fs";

const USAGE = `Usage: parrot <command> [options]

Commands:
  server    run the Parrot reference server (parrot server --help)
  client    connect to a Parrot server and chat (parrot client --help)
  useradd   add or update an account in a users file (parrot useradd --help)
  passwd    change an account's password (parrot passwd --help)
  userdel   remove an account (parrot userdel --help)
  users     list the accounts (parrot users --help)
  conformance  judge a server (or a client) with the conformance suite
            (parrot conformance --target HOST:PORT, parrot conformance --help)

Options:
  -h, --help     show this help
  -V, --version  print the version (also after any command: parrot server --version)`;

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== undefined && COMMANDS.includes(command) && asksForVersion(rest)) {
    // Every subcommand answers --version the same way, whatever else is on its command line.
    process.stdout.write(`parrot ${packageVersion()}\n`);
    return 0;
  }
  switch (command) {
    case "server": {
      const { runServerCommand } = await import("./server/server-command.ts");
      return runServerCommand(rest);
    }
    case "client": {
      const { runClientCommand } = await import("./client/client-command.ts");
      return runClientCommand(rest);
    }
    case "useradd": {
      const { runUseraddCommand } = await import("./server/useradd-command.ts");
      return runUseraddCommand(rest);
    }
    case "passwd": {
      const { runUseraddCommand } = await import("./server/useradd-command.ts");
      return runUseraddCommand(rest, "passwd");
    }
    case "userdel": {
      const { runUserdelCommand } = await import("./server/account-commands.ts");
      return runUserdelCommand(rest);
    }
    case "users": {
      const { runUsersCommand } = await import("./server/account-commands.ts");
      return runUsersCommand(rest);
    }
    case "conformance": {
      const { runConformanceCommand } = await import("./conformance-command.ts");
      return runConformanceCommand(rest);
    }
    case "-h":
    case "--help":
    case "help":
      process.stdout.write(`${USAGE}\n`);
      return 0;
    case "-V":
    case "--version":
      process.stdout.write(`parrot ${packageVersion()}\n`);
      return 0;
    case undefined:
      process.stderr.write(`${USAGE}\n`);
      return 2;
    default:
      process.stderr.write(`parrot: unknown command "${command}"\n\n${USAGE}\n`);
      return 2;
  }
}

const COMMANDS = ["server", "client", "useradd", "passwd", "userdel", "users", "conformance"];

/** -V or --version among the options (not after `--`, where a name could be spelt so). */
function asksForVersion(args: readonly string[]): boolean {
  const end = args.indexOf("--");
  const options = end === -1 ? args : args.slice(0, end);
  return options.includes("--version") || options.includes("-V");
}

/** From package.json: one directory up in the repository, two from the package's dist/cli/. */
function packageVersion(): string {
  const depth = import.meta.url.endsWith(".js") ? "../../" : "../";
  const packageJson = JSON.parse(
    readFileSync(new URL(`${depth}package.json`, import.meta.url), "utf8"),
  ) as { version: string };
  return packageJson.version;
}

const code = await main(process.argv.slice(2));
// Exit explicitly: a subcommand may leave stdin or a timer open once it has decided the outcome.
process.exit(code);
