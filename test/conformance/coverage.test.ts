/**
 * The suite cites the spec honestly: every MUST a server can be judged on over the wire is cited by at
 * least one scenario, every cited requirement exists, and each scenario's tags say what the report
 * needs (requirement, level, protocol version). A dry run also proves every step has exactly one
 * definition.
 */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { listClientScenarios } from "../../conformance/client/client-suite.ts";
import {
  type CataloguedScenario,
  listScenarios,
} from "../../conformance/support/scenario-catalogue.ts";
import {
  readSpecRequirements,
  type SpecRequirement,
} from "../../conformance/support/spec-requirements.ts";
import { JUDGED_BY_SERVER_TESTS_UNTIL_V3_SCENARIOS } from "./version-3-requirements.ts";
import { JUDGED_OVER_WEBSOCKET_ONLY } from "./websocket-only-requirements.ts";

describe("conformance scenarios and spec/README.md requirements", () => {
  let scenarios: CataloguedScenario[];
  let spec: Map<string, SpecRequirement>;
  const cited = (scenario: CataloguedScenario) =>
    scenario.tags.filter((tag) => tag.startsWith("@REQ-")).map((tag) => tag.slice(1));

  before(async () => {
    scenarios = await listScenarios();
    spec = new Map(readSpecRequirements().map((requirement) => [requirement.id, requirement]));
  });

  test("the spec's requirement list is read (sanity check of the parser)", () => {
    assert.ok(spec.size >= 50, `only ${spec.size} requirements found`);
    assert.equal(spec.get("REQ-4.2")?.level, "MUST");
    assert.equal(spec.get("REQ-4.1")?.scope, "client");
  });

  test("every MUST a server is bound by over the wire is cited by a scenario", () => {
    const citedIds = new Set(scenarios.flatMap(cited));
    const uncited = [...spec.values()]
      .filter((r) => r.level === "MUST" && r.scope === "wire" && !citedIds.has(r.id))
      .filter((r) => !JUDGED_OVER_WEBSOCKET_ONLY.has(r.id))
      .filter((r) => !JUDGED_BY_SERVER_TESTS_UNTIL_V3_SCENARIOS.has(r.id))
      .map((r) => `${r.id}: ${r.text}`);
    assert.deepEqual(uncited, []);
  });

  test("every cited requirement exists and binds servers on the wire", () => {
    const wrong = scenarios.flatMap((scenario) =>
      cited(scenario)
        .filter((id) => spec.get(id)?.scope !== "wire")
        .map(
          (id) =>
            `${scenario.name}: ${id} ${spec.has(id) ? `is (${spec.get(id)?.scope})` : "does not exist"}`,
        ),
    );
    assert.deepEqual(wrong, []);
  });

  test("every scenario has a requirement, exactly one level and a protocol version", () => {
    const wrong = scenarios
      .filter((scenario) => {
        const levels = scenario.tags.filter((tag) => tag === "@MUST" || tag === "@SHOULD");
        const versions = scenario.tags.filter((tag) => /^@v\d+$/.test(tag));
        return cited(scenario).length === 0 || levels.length !== 1 || versions.length !== 1;
      })
      .map((scenario) => `${scenario.name}: ${scenario.tags.join(" ")}`);
    assert.deepEqual(wrong, []);
  });

  test("a scenario's level matches what it cites, so the exit code weighs it right", () => {
    const wrong = scenarios
      .filter((scenario) => {
        const levels = cited(scenario).map((id) => spec.get(id)?.level);
        return scenario.tags.includes("@MUST")
          ? !levels.includes("MUST")
          : levels.some((level) => level !== "SHOULD");
      })
      .map((scenario) => `${scenario.name}: ${scenario.tags.join(" ")}`);
    assert.deepEqual(wrong, []);
  });

  test("every step of every scenario has exactly one definition", () => {
    const unmatched = scenarios.flatMap((s) =>
      s.unmatchedSteps.map((step) => `${s.name}: ${step}`),
    );
    assert.deepEqual(unmatched, []);
  });

  test("scenario names are unique, so reports can be read by name", () => {
    const names = scenarios.map((scenario) => scenario.name);
    assert.deepEqual(
      names.filter((name, i) => names.indexOf(name) !== i),
      [],
    );
  });
});

describe("client conformance scenarios (conformance/client/) and spec/README.md requirements", () => {
  let scenarios: CataloguedScenario[];
  let spec: Map<string, SpecRequirement>;
  const cited = (scenario: CataloguedScenario) =>
    scenario.tags.filter((tag) => tag.startsWith("@REQ-")).map((tag) => tag.slice(1));
  /** A requirement of every peer (a receiver, a sender, a peer), which binds clients too. */
  const bindsClients = (requirement: SpecRequirement | undefined) =>
    requirement?.scope === "client" ||
    (requirement?.scope === "wire" &&
      /^(A receiver|A sender|A peer|Peers)\b/.test(requirement.text));

  before(async () => {
    scenarios = await listClientScenarios();
    spec = new Map(readSpecRequirements().map((requirement) => [requirement.id, requirement]));
  });

  test("every (client) MUST is cited by a client scenario", () => {
    const citedIds = new Set(scenarios.flatMap(cited));
    const uncited = [...spec.values()]
      .filter((r) => r.level === "MUST" && r.scope === "client" && !citedIds.has(r.id))
      .map((r) => `${r.id}: ${r.text}`);
    assert.deepEqual(uncited, []);
  });

  test("every requirement a client scenario cites exists and binds clients", () => {
    const wrong = scenarios.flatMap((scenario) =>
      cited(scenario)
        .filter((id) => !bindsClients(spec.get(id)))
        .map(
          (id) =>
            `${scenario.name}: ${id} ${spec.has(id) ? "binds servers only" : "does not exist"}`,
        ),
    );
    assert.deepEqual(wrong, []);
  });

  test("every client scenario has a requirement, one level that matches it, one version", () => {
    const wrong = scenarios
      .filter((scenario) => {
        const levels = scenario.tags.filter((tag) => tag === "@MUST" || tag === "@SHOULD");
        const versions = scenario.tags.filter((tag) => /^@v\d+$/.test(tag));
        const citedLevels = cited(scenario).map((id) => spec.get(id)?.level);
        const levelMatches = scenario.tags.includes("@MUST")
          ? citedLevels.includes("MUST")
          : citedLevels.every((level) => level === "SHOULD");
        return (
          citedLevels.length === 0 || levels.length !== 1 || versions.length !== 1 || !levelMatches
        );
      })
      .map((scenario) => `${scenario.name}: ${scenario.tags.join(" ")}`);
    assert.deepEqual(wrong, []);
  });

  test("every step has exactly one definition and scenario names are unique", () => {
    const unmatched = scenarios.flatMap((s) =>
      s.unmatchedSteps.map((step) => `${s.name}: ${step}`),
    );
    assert.deepEqual(unmatched, []);
    const names = scenarios.map((scenario) => scenario.name);
    assert.deepEqual(
      names.filter((name, i) => names.indexOf(name) !== i),
      [],
    );
  });
});
