/**
 * The reference client through the client suite, the way `make conformance-client` runs it: it
 * declares the contract's command lines and exit codes, so every scenario is judged, and every one
 * passes but those of the defects issue 18 found, which are being fixed apart (branch seams-client)
 * and may pass or fail here until then.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { mismatches, runClientSuite } from "./client-suite-run.ts";

/** Scenario names (or prefixes) that may fail, with the defect each shows. */
const KNOWN_DEFECTS = [
  ["An idle client's PINGs are never late at all", "PINGs exactly at the interval (REQ-7.12)"],
  // With no margin, a busy machine can make a PING more than the judge's 10 % late (REQ-7.1).
  ["An idle client pings at least every advertised interval", "PINGs with no margin (REQ-7.1)"],
  ["The client keeps pinging while its login is checked", "PINGs with no margin (REQ-7.1)"],
  [
    "PONGs of tokens the client never sent are no sign of life",
    "unknown PONGs keep it waiting (REQ-7.8)",
  ],
  ["BAD_CREDENTIALS then ERROR TOO_MANY_LOGIN_ATTEMPTS", "exit 5 without the code 207 (REQ-9.7)"],
  // Not a defect: judged on arrival times, as a server judges them, with the client's 300 ms spacing
  // against 250 ms; on a loaded machine the judge can read two TYPINGs closer together than sent.
  ["Repeated typing lines are spaced", "arrival times on a loaded machine (REQ-12.29)"],
] as const;

const knownDefect = (name: string) => KNOWN_DEFECTS.some(([prefix]) => name.startsWith(prefix));

test("the reference client passes every client scenario but those of its known defects", async () => {
  const run = await runClientSuite(null);
  const wrong = mismatches(run, (scenario) =>
    knownDefect(scenario.name) &&
    run.report?.scenarios.find((s) => s.name === scenario.name)?.verdict === "fail"
      ? "fail"
      : "pass",
  );
  assert.deepEqual(wrong, []);
  // The known defects fail at SHOULD level, but for a PING late under load (REQ-7.1).
  const lateUnderLoad = run.report?.requirements.some(
    (r) => r.id === "REQ-7.1" && r.verdict === "fail",
  );
  assert.equal(run.code, lateUnderLoad ? 1 : 0, run.stdout);
});
