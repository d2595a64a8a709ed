/**
 * `parrot userdel NAME` and `parrot users`: remove an account, list the accounts. (Adding one and
 * changing a password are useradd-command.ts.) Both take --users FILE (default as for the
 * server, or $PARROT_USERS). userdel is atomic on the file (users-file-update.ts); a running
 * server refuses the removed user from its next login on, and sessions already logged in as it
 * carry on until they end. Exit codes: 0 ok, 1 failure (no such user, unreadable file), 2 bad usage.
 */
import { parseArgs } from "node:util";
import { DEFAULT_USERS_FILE, readUsersFile, removeUser } from "../../server/users-file.ts";
import { updateUsersFile } from "../../server/users-file-update.ts";

export const USERDEL_USAGE = `Usage: parrot userdel [--users FILE] NAME

Removes NAME from the users file (default ${DEFAULT_USERS_FILE}, or $PARROT_USERS); other lines
and comments are kept. A running server refuses NAME from its next login on.`;

export const USERS_USAGE = `Usage: parrot users [--users FILE]

Lists the accounts in the users file (default ${DEFAULT_USERS_FILE}, or $PARROT_USERS), one per
line: the name and its scrypt cost N.`;

class UsageError extends Error {}

export function runUserdelCommand(argv: readonly string[]): Promise<number> {
  return runAccountCommand("userdel", USERDEL_USAGE, argv, async (path, positionals) => {
    if (positionals.length !== 1) throw new UsageError("give exactly one NAME");
    const name = positionals[0]!;
    await updateUsersFile(path, (lines) => {
      const result = removeUser(lines ?? [], name);
      if (!result.removed) throw new Error(`no user ${name} in ${path}`);
      return result.lines;
    });
    process.stdout.write(`removed user ${name} from ${path}\n`);
  });
}

export function runUsersCommand(argv: readonly string[]): Promise<number> {
  return runAccountCommand("users", USERS_USAGE, argv, async (path, positionals) => {
    if (positionals.length > 0) throw new UsageError("takes no arguments");
    const lines = await readUsersFile(path);
    if (lines === undefined) throw new Error(`users file ${path} does not exist`);
    const users = lines.flatMap((line) =>
      line.kind === "user" ? [`${line.name}\tscrypt N=${line.hash.params.N}\n`] : [],
    );
    process.stdout.write(users.join(""));
  });
}

async function runAccountCommand(
  command: string,
  usage: string,
  argv: readonly string[],
  run: (path: string, positionals: string[]) => Promise<void>,
): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: { users: { type: "string" }, help: { type: "boolean", short: "h" } },
    });
    if (values.help === true) {
      process.stdout.write(`${usage}\n`);
      return 0;
    }
    await run(values.users ?? (process.env["PARROT_USERS"] || DEFAULT_USERS_FILE), positionals);
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const isUsage =
      error instanceof UsageError ||
      (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    process.stderr.write(`parrot ${command}: ${message}\n${isUsage ? `\n${usage}\n` : ""}`);
    return isUsage ? 2 : 1;
  }
}
