// The front door a new user meets: every make target is listed by `make help` and in the
// README's target table, and every `parrot` subcommand answers --version.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { runParrot } from "../../tools/launch/parrot-process.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The targets a person can type: every rule in the Makefile whose name is a plain word. */
function makeTargets(): string[] {
  const makefile = readFileSync(`${ROOT}Makefile`, "utf8");
  const targets = [...makefile.matchAll(/^([a-z][a-z0-9-]*):(?!=)/gm)].map((match) => match[1]!);
  return [...new Set(targets)];
}

describe("make", () => {
  test("the Makefile has the targets this test reads (guards the parsing)", () => {
    for (const target of ["help", "server", "test", "check"]) {
      assert.ok(makeTargets().includes(target), target);
    }
  });

  test("make help lists every target", () => {
    const help = execFileSync("make", ["-s", "--no-print-directory", "help"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    const listed = new Set([...help.matchAll(/^make ([a-z][a-z0-9-]*)/gm)].map((m) => m[1]));
    assert.deepEqual(
      makeTargets().filter((target) => !listed.has(target)),
      [],
    );
  });

  test("the README's target table lists every target", () => {
    const readme = readFileSync(`${ROOT}README.md`, "utf8");
    const listed = new Set([...readme.matchAll(/^\| `make ([a-z][a-z0-9-]*)/gm)].map((m) => m[1]));
    assert.deepEqual(
      makeTargets().filter((target) => !listed.has(target)),
      [],
    );
  });
});

describe("parrot SUBCOMMAND --version", { concurrency: true }, () => {
  const { version } = JSON.parse(readFileSync(`${ROOT}package.json`, "utf8")) as {
    version: string;
  };
  for (const args of [
    ["server", "--version"],
    ["server", "-p", "0", "--version"],
    ["client", "--version"],
    ["useradd", "-V"],
  ]) {
    test(args.join(" "), async () => {
      const run = runParrot(args);
      assert.equal(await run.exited, 0, run.stderr());
      assert.equal(run.stdout(), `parrot ${version}\n`);
    });
  }
});
