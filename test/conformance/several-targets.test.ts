/**
 * The suite over several targets (spec §13.6, issue 13): a scenario's connections spread over the
 * nodes round-robin, the report and the console saying which node each used; two separate servers
 * judged as one service fail exactly where they are two; a real cluster (a real redis-server, two
 * `parrot server --cluster` nodes, started as `make conformance-cluster` does) passes the cluster's
 * own scenarios; one target leaves them unsupported.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseRunOptions, UsageError } from "../../conformance/support/run-options.ts";
import type { TargetAddress } from "../../conformance/support/suite-parameters.ts";
import { TargetPlacement } from "../../conformance/support/target-placement.ts";
import { LOADED_MACHINE_ARGS, runSuite, verdicts } from "./run-suite.ts";

const CROSS_NODE_LOGIN =
  "A login held on one node is refused on another, and the session holding it keeps working";

function target(port: number): TargetAddress {
  return { host: "127.0.0.1", port, tls: false, insecure: false };
}

describe("placement of a scenario's connections", () => {
  test("round-robin in the order first named; a name opened again stays; a crowd by its order", () => {
    const placement = new TargetPlacement([target(1), target(2)]);
    assert.equal(placement.several, true);
    assert.deepEqual(
      ["A", "B", "C", "A", "B"].map((name) => placement.of(name).node),
      [1, 2, 1, 1, 2],
    );
    assert.deepEqual(
      ["load001", "load002", "load003"].map(
        (name, i) => placement.ofCrowdMember(name, i).target.port,
      ),
      [1, 2, 1],
    );
    assert.equal(
      placement.describe(new Set(["load001", "load002", "load003"])),
      [
        '"A" → node 1 (127.0.0.1:1)',
        '"B" → node 2 (127.0.0.1:2)',
        '"C" → node 1 (127.0.0.1:1)',
        "2 load sessions → node 1 (127.0.0.1:1)",
        "1 load sessions → node 2 (127.0.0.1:2)",
      ].join("\n"),
    );
  });

  test("one target: everything goes to it, and there is nothing to say", () => {
    const placement = new TargetPlacement([target(7)]);
    assert.equal(placement.several, false);
    assert.deepEqual(
      ["A", "B", "C"].map((name) => placement.of(name).target.port),
      [7, 7, 7],
    );
  });

  test("--target takes a list; --nodes launches and excludes --target", () => {
    const defaults = { accountsFile: "a.json", reportsDir: "r" };
    const options = parseRunOptions(["--target", "127.0.0.1:1,[::1]:2"], {}, defaults);
    assert.deepEqual(options.targets, [
      { host: "127.0.0.1", port: 1 },
      { host: "::1", port: 2 },
    ]);
    assert.equal(parseRunOptions(["--nodes", "3"], {}, defaults).nodes, 3);
    assert.throws(
      () => parseRunOptions(["--target", "a:1", "--nodes", "2"], {}, defaults),
      UsageError,
    );
    assert.throws(() => parseRunOptions(["--nodes", "0"], {}, defaults), UsageError);
    assert.throws(() => parseRunOptions(["--target", "a:1,b"], {}, defaults), UsageError);
  });
});

describe("the suite across nodes", () => {
  test("two separate reference servers are two services: the cross-node login fails, and the report says where each session was", async () => {
    const run = await runSuite(["--nodes", "2", "--tags", "@REQ-13.1", ...LOADED_MACHINE_ARGS]);
    assert.equal(verdicts(run).get(CROSS_NODE_LOGIN), "fail", run.stdout);
    assert.equal(run.code, 1, run.stdout);
    assert.match(
      run.stdout,
      /Judging 2 nodes of one service, sessions round-robin: node 1 \(127\.0\.0\.1:\d+\), node 2/,
    );
    assert.match(run.stdout, /on "A" → node 1, "B" → node 2/);
    const scenario = run.report?.scenarios.find((s) => s.name === CROSS_NODE_LOGIN);
    const ports = [...(scenario?.placements ?? "").matchAll(/node (\d) \(127\.0\.0\.1:(\d+)\)/g)];
    assert.deepEqual(
      ports.map((match) => match[1]),
      ["1", "2"],
      scenario?.placements,
    );
    assert.notEqual(ports[0]?.[2], ports[1]?.[2], "two nodes, two ports");
    assert.match(scenario?.transcripts ?? "", /connection "B" to node 2 \(127\.0\.0\.1:\d+\)/);
    assert.match(scenario?.reason ?? "", /ALREADY_LOGGED_IN/);
  });

  test("a real cluster (redis-server, two nodes with --cluster) passes the cluster's scenarios and one live login per user across nodes", async () => {
    const run = await runSuite(
      ["--tags", "@cluster or @REQ-5.3 or @REQ-12.30", ...LOADED_MACHINE_ARGS],
      "conformance/tools/conformance-cluster.ts",
    );
    const results = verdicts(run);
    assert.match(run.stdout, /Cluster store: redis-server on redis:\/\/127\.0\.0\.1:\d+/);
    assert.equal(results.get(CROSS_NODE_LOGIN), "pass", run.stdout);
    assert.equal(
      results.get("A presence subscriber on one node hears of logins and session ends on another"),
      "pass",
      run.stdout,
    );
    assert.equal(
      results.get(
        "A second login is refused while the first session lives, and the first keeps working",
      ),
      "pass",
      run.stdout,
    );
    // Nothing may fail (cluster.expected-failures.yaml is empty: no known fault is left).
    const unexpected = run.report?.scenarios.filter((s) => s.verdict === "fail" && !s.expected);
    assert.deepEqual(
      unexpected?.map((s) => `${s.name}: ${s.reason}`),
      [],
      run.stdout,
    );
    // A run that conforms and still exits 1 failed after its summary (a late error in stopping
    // the nodes or Redis): stderr says what.
    assert.equal(
      run.code,
      0,
      `${run.stdout.slice(-3000)}\n--- stderr ---\n${run.stderr.slice(-3000)}`,
    );
  });

  test("one target: the cluster's scenarios are unsupported, never failed", async () => {
    const run = await runSuite(["--tags", "@cluster", ...LOADED_MACHINE_ARGS]);
    const results = [...verdicts(run).values()];
    assert.ok(results.length >= 6, run.stdout);
    assert.deepEqual(new Set(results), new Set(["unsupported"]), run.stdout);
    assert.equal(run.code, 0, run.stdout);
    assert.doesNotMatch(run.stdout, /→ node/);
  });
});
