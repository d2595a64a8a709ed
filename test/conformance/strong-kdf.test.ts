/**
 * A load scenario against a server that hashes passwords the way production should: the reference
 * server with its default scrypt (N = 16384) for the accounts the concurrency scenario logs in, 100 at
 * once, with the launcher's short 3 s handshake timeout. (The other accounts get a cheap hash, only to
 * keep this test short.) Slow logins are set-up, not what the scenario judges: it passes, or is
 * unsupported for want of time, and is never failed. And a set-up allowance too short for the crowd
 * says exactly that.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { loadAccounts } from "../../conformance/support/accounts.ts";
import { type ServerProcess, startReferenceServer } from "../../tools/launch/parrot-process.ts";
import { ACCOUNTS, usersFileOf } from "../../tools/launch/test-accounts.ts";
import { LOADED_MACHINE_ARGS, runSuite } from "./run-suite.ts";

const CONCURRENCY = "Every concurrent session gets exactly its own echoes";
const SESSIONS = 100;

describe("load scenarios against production-strength password hashing", () => {
  let server: ServerProcess;
  before(async () => {
    const { accounts, load } = loadAccounts(ACCOUNTS);
    const strong = await usersFileOf(load.slice(0, SESSIONS));
    const cheap = await usersFileOf([...accounts, ...load.slice(SESSIONS)], {
      N: 1024,
      r: 8,
      p: 1,
    });
    writeFileSync(strong, readFileSync(cheap, "utf8").replace(/^#.*\n/, ""), { flag: "a" });
    server = await startReferenceServer(strong);
  });
  after(() => server.stop());

  test("100 sessions logging in at once pass, or are unsupported: never failed", async () => {
    const run = await runSuite([
      "--target",
      `127.0.0.1:${server.port}`,
      "--handshake-timeout",
      "3",
      "--name",
      CONCURRENCY,
      "--sessions",
      String(SESSIONS),
      ...LOADED_MACHINE_ARGS,
    ]);
    const scenarios = run.report?.scenarios ?? [];
    assert.equal(scenarios.length, 1, run.stdout + run.stderr);
    const [scenario] = scenarios;
    assert.notEqual(scenario?.verdict, "fail", scenario?.reason);
    if (scenario?.verdict === "unsupported") {
      assert.match(scenario.reason ?? "", /^could not provision 100 sessions in time/);
    }
    assert.equal(run.code, 0, run.stdout.slice(-2000));
  });

  test("logins checked one at a time, slower than the handshake timeout allows for: the crowd still gets in", async () => {
    // 20 logins of 150 ms each, one after another, behind a 1 s handshake timeout: with ten in
    // flight the later ones meet HANDSHAKE_TIMEOUT before their check ends, and are retried.
    const { accounts, load } = loadAccounts(ACCOUNTS);
    const usersFile = await usersFileOf([...accounts, ...load], { N: 1024, r: 8, p: 1 });
    const command = [
      "node --import tsx test/conformance/broken-servers/checks-passwords-slowly.ts",
      `-l {host} -p 0 --users ${usersFile} --handshake-timeout 1 --log-level warn`,
    ].join(" ");
    const run = await runSuite([
      "--launch",
      command,
      "--name",
      CONCURRENCY,
      "--sessions",
      "20",
      ...LOADED_MACHINE_ARGS,
    ]);
    const [scenario, ...others] = run.report?.scenarios ?? [];
    assert.ok(scenario, run.stdout + run.stderr);
    assert.deepEqual(others, []);
    assert.equal(scenario.verdict, "pass", scenario.reason);
    assert.equal(run.code, 0, run.stdout.slice(-2000));
  });

  test("a set-up allowance too short for the crowd: unsupported, saying how many got in", async () => {
    const run = await runSuite([
      "--target",
      `127.0.0.1:${server.port}`,
      "--name",
      CONCURRENCY,
      "--setup-timeout",
      "0",
      ...LOADED_MACHINE_ARGS,
    ]);
    const [concurrency, ...others] = run.report?.scenarios ?? [];
    assert.ok(concurrency, run.stdout + run.stderr);
    assert.deepEqual(others, []);
    assert.equal(concurrency.verdict, "unsupported");
    assert.match(
      concurrency.reason ?? "",
      /^could not provision 100 sessions in time: 0 logged in within the set-up allowance of 0 s/,
    );
    assert.equal(run.code, 0, run.stdout.slice(-2000));
  });
});
