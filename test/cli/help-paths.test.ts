// Help texts name the files the code uses (issue 12: `parrot conformance --help` named a reports
// directory it no longer wrote to). Each test reads a default path out of a --help, then runs the
// command without that option, from an empty directory, and checks the path it read is the one
// used.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { runParrot } from "../../tools/launch/parrot-process.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), "parrot-help-paths-"));
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

/** The "(default X)" of `flag` in `parrot ARGS --help`, resolved against the working directory. */
async function helpDefault(args: string[], flag: string): Promise<string> {
  const help = runParrot([...args, "--help"], { cwd });
  assert.equal(await help.exited, 0, help.stderr());
  const lines = help.stdout().split("\n");
  const start = lines.findIndex((entry) => new RegExp(`^\\s*(-\\w, )?${flag} `).test(entry));
  assert.ok(start >= 0, `${flag} in ${args.join(" ")} --help`);
  // The option's own line and its continuation lines (those that start no other option).
  let end = start + 1;
  while (end < lines.length && /^\s{8,}[^-\s]/.test(lines[end]!)) end++;
  const text = lines.slice(start, end).join(" ");
  const named = /\(default ([^),]+)/.exec(text)?.[1];
  assert.ok(named !== undefined, `a default in: ${text}`);
  return resolve(cwd, named);
}

describe("parrot conformance --help", () => {
  test("names the reports directory and accounts file a run uses", async () => {
    const reports = await helpDefault(["conformance"], "--reports");
    const accounts = await helpDefault(["conformance"], "--accounts");
    assert.ok(existsSync(accounts), `${accounts} exists`);
    assert.equal(existsSync(reports), false);
    // Nothing listens on port 9 (discard): the run fails its set-up, after making its reports.
    const run = runParrot(["conformance", "--target", "127.0.0.1:9", "--tags", "@REQ-4.8"], {
      cwd,
    });
    await run.exited;
    assert.ok(existsSync(join(reports, "requirements.json")), `${run.stdout()}\n${run.stderr()}`);
  });

  test("with --client, names the directory the client suite reports to", async () => {
    const reports = await helpDefault(["conformance", "--client"], "--reports");
    const run = runParrot(["conformance", "--client", "false", "--tags", "@no-such-tag"], { cwd });
    await run.exited;
    assert.ok(existsSync(join(reports, "requirements.json")), `${run.stdout()}\n${run.stderr()}`);
  });
});

describe("parrot server --help", () => {
  test("names the users file it creates when it is missing", async () => {
    const users = await helpDefault(["server"], "--users");
    const server = runParrot(["server", "-p", "0"], { cwd });
    try {
      await new Promise<void>((done, fail) => {
        server.child.stdout!.on("data", () => {
          if (server.stdout().includes("listening on")) done();
        });
        server.child.once("exit", () => fail(new Error(server.stderr())));
      });
      assert.match(readFileSync(users, "utf8"), /^user1:/m);
    } finally {
      server.child.kill("SIGTERM");
      await server.exited;
    }
  });

  test("its example config file is in the repository and the package (contrib/)", async () => {
    const help = runParrot(["server", "--help"], { cwd });
    await help.exited;
    const example = /example: ([^)\s]+)/.exec(help.stdout())?.[1];
    assert.equal(example, "contrib/parrot.yaml");
    assert.ok(existsSync(join(ROOT, example)));
    const packaged = (
      JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { files: string[] }
    ).files;
    assert.ok(packaged.includes("contrib/"), "contrib/ is in the npm package");
  });
});
