// contrib/parrot.service (issue 12): systemd accepts it, its command line is one `parrot server`
// accepts with the example config, and its descriptor limit leaves the server room above the
// example's --max-connections.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { parse } from "yaml";
import { parseServerConfig } from "../../cli/server/config.ts";
import { DEFAULT_DESCRIPTOR_RESERVE } from "../../transport/descriptor-headroom.ts";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const UNIT = readFileSync(join(ROOT, "contrib", "parrot.service"), "utf8");
const EXAMPLE_CONFIG = join(ROOT, "contrib", "parrot.yaml");

function setting(key: string): string {
  const match = new RegExp(`^${key}=(.*)$`, "m").exec(UNIT);
  assert.ok(match, `${key}= is set`);
  return match[1]!;
}

async function hasSystemdAnalyze(): Promise<boolean> {
  try {
    await run("systemd-analyze", ["--version"]);
    return true;
  } catch {
    return false;
  }
}

test("systemd-analyze verify accepts the unit without a warning", async (t) => {
  if (!(await hasSystemdAnalyze())) {
    t.skip("systemd-analyze is not installed (Debian: apt-get install systemd)");
    return;
  }
  // verify wants ExecStart's program to exist: the repository's bin stands in for the install.
  const dir = mkdtempSync(join(tmpdir(), "parrot-unit-test-"));
  try {
    const unit = join(dir, "parrot.service");
    const stand = `ExecStart=${join(ROOT, "bin", "parrot.js")}`;
    writeFileSync(unit, UNIT.replace(/^ExecStart=\/usr\/local\/bin\/parrot/m, stand));
    const { stderr } = await run("systemd-analyze", ["verify", unit]);
    assert.equal(stderr, "");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("ExecStart is a command line parrot server accepts with the example config", () => {
  const [program, command, ...args] = setting("ExecStart").split(" ");
  assert.equal(program, "/usr/local/bin/parrot");
  assert.equal(command, "server");
  const configAt = args.indexOf("--config");
  assert.equal(args[configAt + 1], "/etc/parrot/parrot.yaml");
  args[configAt + 1] = EXAMPLE_CONFIG;
  const config = parseServerConfig(args, {});
  assert.ok(config !== "help");
  assert.equal(config.usersFile, `/var/lib/${setting("StateDirectory")}/users.txt`);
});

test("the unit's comments and the README say where npm install -g puts parrot, and how to change ExecStart", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  for (const text of [UNIT, readme]) {
    assert.match(text, /npm prefix -g\)?`?\/bin/);
    assert.match(text, /\/usr\/bin/);
    assert.match(text, /systemctl edit parrot/);
  }
});

test("reload is SIGHUP, restart on failure but not after a bad config (exit 2)", () => {
  assert.match(setting("ExecReload"), /kill -HUP \$MAINPID$/);
  assert.equal(setting("Restart"), "on-failure");
  assert.equal(setting("RestartPreventExitStatus"), "2");
  for (const hardening of ["NoNewPrivileges=yes", "ProtectSystem=strict"]) {
    assert.ok(UNIT.includes(`\n${hardening}\n`), hardening);
  }
});

test("LimitNOFILE leaves the descriptor headroom above the example's max-connections", () => {
  const example = parse(readFileSync(EXAMPLE_CONFIG, "utf8")) as Record<string, unknown>;
  const maxConnections = Number(example["max-connections"]);
  assert.ok(maxConnections > 0);
  assert.ok(Number(setting("LimitNOFILE")) > maxConnections + DEFAULT_DESCRIPTOR_RESERVE);
});
