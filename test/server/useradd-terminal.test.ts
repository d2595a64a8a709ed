// `parrot useradd` at a terminal: the password is asked twice and never echoed. Runs the command
// under a pseudo-terminal with util-linux `script`, typing only once each prompt has appeared.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { silentLogger } from "../../server/logger.ts";
import { UserStore } from "../../server/user-store.ts";
import { tempDir } from "../../tools/launch/test-accounts.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function underTerminal(command: string) {
  const child = spawn("script", ["-qfec", command, "/dev/null"], {
    cwd: ROOT,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let output = "";
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
    for (const waiter of waiters.filter((each) => output.includes(each.text))) waiter.resolve();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    output: () => output,
    exited,
    type: (text: string) => child.stdin.write(text),
    /** Resolves once `text` has appeared on the terminal. */
    waitFor: (text: string) =>
      output.includes(text)
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push({ text, resolve })),
  };
}

test("the password is asked twice at a terminal and never echoed", async () => {
  const usersFile = join(await tempDir(), "users.txt");
  const terminal = underTerminal(
    `node --import tsx cli/parrot.ts useradd --users ${usersFile} --scrypt-n 1024 alice`,
  );
  await terminal.waitFor("password for alice: ");
  // A typo fixed with Backspace, and an arrow key that must not end up in the password.
  terminal.type("s3cr3t-\u007f\u001b[D!\r");
  await terminal.waitFor("again: ");
  terminal.type("s3cr3t!\r");
  assert.equal(await terminal.exited, 0, terminal.output());
  assert.doesNotMatch(terminal.output(), /s3cr3t/);
  assert.match(terminal.output(), /added user alice/);
  const store = await UserStore.open(usersFile, { logger: silentLogger() });
  assert.equal(await store.verify("alice", "s3cr3t!"), true);
});

test("passwords that differ change nothing", async () => {
  const usersFile = join(await tempDir(), "users.txt");
  const terminal = underTerminal(
    `node --import tsx cli/parrot.ts useradd --users ${usersFile} --scrypt-n 1024 bob`,
  );
  await terminal.waitFor("password for bob: ");
  terminal.type("one\r");
  await terminal.waitFor("again: ");
  terminal.type("two\r");
  assert.equal(await terminal.exited, 1);
  assert.match(terminal.output(), /do not match/);
});
