/**
 * The conformance suite against the reference server: every scenario passes, versions 1 and 2, and
 * the three reports are written. This is `make conformance TARGET=...` against a separately started
 * `parrot server`, plus the self-launching and TLS paths on a subset.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { readSpecRequirements } from "../../conformance/support/spec-requirements.ts";
import { type ServerProcess, startReferenceServer } from "../../tools/launch/parrot-process.ts";
import { makeSelfSignedCert } from "../../tools/launch/self-signed-cert.ts";
import { provisionedUsersFile } from "../../tools/launch/test-accounts.ts";
import { JUDGED_ACROSS_NODES_ONLY } from "./across-nodes-requirements.ts";
import { LOADED_MACHINE_ARGS, runSuite, verdicts } from "./run-suite.ts";
import { judgedOnlyOver, TRANSPORT_TAGS } from "./transport-bound-requirements.ts";
import { JUDGED_BY_SERVER_TESTS_UNTIL_V3_SCENARIOS } from "./version-3-requirements.ts";

describe("the conformance suite against the reference server", () => {
  let usersFile: string;
  before(async () => {
    usersFile = await provisionedUsersFile();
  });

  describe("a separately started `parrot server` as --target", () => {
    let server: ServerProcess;
    before(async () => {
      server = await startReferenceServer(usersFile);
    });
    after(() => server.stop());

    test("every scenario passes and every MUST the server is bound by is judged", async () => {
      const run = await runSuite([
        "--target",
        `127.0.0.1:${server.port}`,
        "--handshake-timeout",
        "3",
        // A server's shutdown and connection limit are tried on an instance the suite starts itself
        // (lifecycle.feature): unsupported against a --target, judged in the self-launching test below.
        // The scenarios of a binding are unsupported over TCP: websocket-suite.test.ts judges them.
        "--tags",
        // cluster.feature needs several targets: judged in several-targets.test.ts.
        `not @REQ-9.4 and not @REQ-9.5 and not @cluster and ${TRANSPORT_TAGS.map((tag) => `not ${tag}`).join(" and ")}`,
        ...LOADED_MACHINE_ARGS,
      ]);
      const report = run.report;
      assert.ok(report, `no report; stderr:\n${run.stderr}`);
      const failed = report.scenarios.filter((s) => s.verdict === "fail");
      assert.deepEqual(
        failed.map((s) => `${s.name}: ${s.reason}`),
        [],
        "scenarios failed against the reference server",
      );
      // The reference speaks every version the spec has, and the run knows every timer: nothing is
      // out of reach.
      assert.deepEqual(
        report.scenarios
          .filter((s) => s.verdict === "unsupported")
          .map((s) => `${s.name}: ${s.reason}`),
        [],
        "scenarios unsupported against the reference server",
      );
      assert.equal(run.code, 0, run.stdout.slice(-3000));
      assert.equal(report.conforms, true);

      const judged = new Map(report.requirements.map((r) => [r.id, r.verdict]));
      const otherTransport = await judgedOnlyOver();
      for (const requirement of readSpecRequirements()) {
        if (requirement.scope !== "wire" || requirement.level !== "MUST") continue;
        if (otherTransport.has(requirement.id)) continue;
        if (JUDGED_BY_SERVER_TESTS_UNTIL_V3_SCENARIOS.has(requirement.id)) continue;
        if (JUDGED_ACROSS_NODES_ONLY.has(requirement.id)) continue;
        const verdict = judged.get(requirement.id) ?? "not judged";
        assert.equal(verdict, "pass", `${requirement.id} is ${verdict}: ${requirement.text}`);
      }

      const junit = readFileSync(join(run.reportsDir, "junit.xml"), "utf8");
      assert.match(junit, /<testsuite name="parrot-conformance"[^>]* failures="0"/);
      assert.match(junit, new RegExp(`tests="${report.scenarios.length}"`));
      assert.ok(readFileSync(join(run.reportsDir, "report.html"), "utf8").includes("<html"));
      assert.match(run.stdout, /VERDICT: conforms/);
    });
  });

  test("without --target the suite launches the reference server itself, and instances of its own", async () => {
    const run = await runSuite([
      "--tags",
      "@REQ-7.2 or @REQ-4.2 or @REQ-9.4 or @REQ-9.5",
      "--strict",
      ...LOADED_MACHINE_ARGS,
    ]);
    assert.equal(run.code, 0, run.stdout.slice(-3000) + run.stderr);
    assert.match(run.stdout, /reference server \(cli\/parrot\.ts\), launched by the suite/);
    const results = [...verdicts(run).values()];
    assert.ok(results.length >= 5);
    assert.ok(results.every((verdict) => verdict === "pass"));
  });

  test("--launch fills in {port} and {accounts} and waits for the port when nothing is printed", async () => {
    // The command provisions the accounts itself from {accounts} and prints nothing on stdout, so the
    // suite can only learn that the server is up by connecting to {port}.
    const command = [
      'users="$(mktemp -d)/users.txt";',
      'node --import tsx cli/parrot.ts useradd --users "$users" --batch --scrypt-n 1024 < {accounts} > /dev/null &&',
      'exec node --import tsx cli/parrot.ts server -l {host} -p {port} --users "$users"',
      "--ping-interval {ping_interval} --ping-timeout {ping_timeout} --handshake-timeout {handshake_timeout}",
      "--log-level warn > /dev/null",
    ].join(" ");
    const run = await runSuite([
      "--launch",
      command,
      "--tags",
      "@REQ-5.1 or @REQ-7.9",
      ...LOADED_MACHINE_ARGS,
    ]);
    assert.equal(run.code, 0, run.stdout.slice(-3000) + run.stderr);
    const results = [...verdicts(run).values()];
    // The handshake scenarios are judged, not unsupported: {handshake_timeout} told the suite its value.
    assert.ok(results.length >= 4);
    assert.ok(results.every((verdict) => verdict === "pass"));
  });

  describe("over TLS", () => {
    let server: ServerProcess;
    let certFile: string;
    before(async () => {
      const cert = makeSelfSignedCert();
      certFile = cert.certFile;
      const keyFile = cert.keyFile;
      server = await startReferenceServer(usersFile, [
        "--tls-cert",
        certFile,
        "--tls-key",
        keyFile,
      ]);
    });
    after(() => server.stop());

    test("--tls --ca verifies the server and the scenarios pass", async () => {
      assert.ok(existsSync(certFile));
      const run = await runSuite([
        "--target",
        `127.0.0.1:${server.port}`,
        "--tls",
        "--ca",
        certFile,
        "--tags",
        "@REQ-5.1 or @REQ-6.1 or @REQ-2.5",
        ...LOADED_MACHINE_ARGS,
      ]);
      assert.equal(run.code, 0, run.stdout.slice(-3000) + run.stderr);
      assert.ok([...verdicts(run).values()].every((verdict) => verdict === "pass"));
    });

    test("--insecure skips the verification", async () => {
      const run = await runSuite([
        "--target",
        `127.0.0.1:${server.port}`,
        "--tls",
        "--insecure",
        "--tags",
        "@REQ-5.1",
        ...LOADED_MACHINE_ARGS,
      ]);
      assert.equal(run.code, 0, run.stdout.slice(-3000) + run.stderr);
      assert.ok([...verdicts(run).values()].every((verdict) => verdict === "pass"));
    });

    test("without the CA the certificate is refused, and that is reported as failures", async () => {
      const run = await runSuite([
        "--target",
        `127.0.0.1:${server.port}`,
        "--tls",
        "--tags",
        "@REQ-5.1",
        ...LOADED_MACHINE_ARGS,
      ]);
      assert.equal(run.code, 1);
      const scenarios = run.report?.scenarios ?? [];
      assert.ok(scenarios.length > 0);
      for (const scenario of scenarios) {
        assert.equal(scenario.verdict, "fail");
        assert.match(scenario.reason ?? "", /could not connect.*(self-signed|certificate)/i);
      }
    });
  });

  test("bad options are a usage error (exit 2), not a verdict", async () => {
    const run = await runSuite(["--target", "no-port-here"]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--target must be HOST:PORT/);
    assert.equal(run.report, undefined);
  });
});
