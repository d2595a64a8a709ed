/**
 * An implementation's list of known failures (--expected-failures FILE), like irctest's per-server xfail
 * lists or protobuf's failure lists: a server that is known to break a rule can still be run in CI
 * every day, and the run goes red only for what is new. Expected failures are reported apart and do not
 * fail the run; an expected failure that passes is reported as "unexpectedly passed", so the list does
 * not quietly outlive the bug.
 *
 * The file is YAML (JSON is YAML too): a list of entries, each naming one requirement or one scenario,
 * with the reason and, optionally, a link to the implementation's issue. conformance/README.md has an
 * example.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";

export interface ExpectedFailure {
  /** "REQ-7.7": every scenario whose failure lands on it (cited, or blamed by a cross-cutting check). */
  requirement?: string;
  /** The exact name of one scenario (`--list` shows them). */
  scenario?: string;
  reason: string;
  link?: string;
}

/** Which entry, if any, expects this scenario's failure; and which entries a pass contradicts. */
export interface ScenarioIdentity {
  name: string;
  requirements: readonly string[];
  /** The requirement a failure was pinned on, when a cross-cutting check pinned it. */
  blame?: string;
}

export class ExpectedFailuresError extends Error {
  override name = "ExpectedFailuresError";
}

export function readExpectedFailures(file: string): ExpectedFailure[] {
  let document: unknown;
  try {
    document = parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new ExpectedFailuresError(`${file}: ${(error as Error).message}`);
  }
  if (document === null || document === undefined) return [];
  if (!Array.isArray(document)) {
    throw new ExpectedFailuresError(`${file}: expected a list of entries`);
  }
  return document.map((entry, index) => checkEntry(entry, `${file}, entry ${index + 1}`));
}

function checkEntry(entry: unknown, where: string): ExpectedFailure {
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
    throw new ExpectedFailuresError(`${where}: expected "requirement" or "scenario", and "reason"`);
  }
  const fields = entry as Record<string, unknown>;
  const unknown = Object.keys(fields).filter(
    (key) => !["requirement", "scenario", "reason", "link"].includes(key),
  );
  if (unknown.length > 0) {
    throw new ExpectedFailuresError(`${where}: unknown field ${unknown.join(", ")}`);
  }
  const text = (key: string) => {
    const value = fields[key];
    if (value !== undefined && (typeof value !== "string" || value.trim() === "")) {
      throw new ExpectedFailuresError(`${where}: "${key}" must be a non-empty string`);
    }
    return value as string | undefined;
  };
  const requirement = text("requirement");
  const scenario = text("scenario");
  const reason = text("reason");
  const link = text("link");
  if ((requirement === undefined) === (scenario === undefined)) {
    throw new ExpectedFailuresError(`${where}: give exactly one of "requirement" and "scenario"`);
  }
  if (requirement !== undefined && !/^REQ-\d+\.\d+$/.test(requirement)) {
    throw new ExpectedFailuresError(`${where}: "${requirement}" is not a requirement id (REQ-x.y)`);
  }
  if (reason === undefined) throw new ExpectedFailuresError(`${where}: "reason" is required`);
  return {
    ...(requirement ? { requirement } : {}),
    ...(scenario ? { scenario } : {}),
    reason,
    ...(link ? { link } : {}),
  };
}

/**
 * The entry that expects this scenario to fail. A failure is expected when the entry names the
 * scenario, or the requirement the failure lands on: the blamed one if a cross-cutting check pinned
 * it elsewhere (then a failure of some other rule in a listed scenario is still news), else any the
 * scenario cites.
 */
export function expectedFailureOf(
  scenario: ScenarioIdentity,
  entries: readonly ExpectedFailure[],
): ExpectedFailure | undefined {
  const landsOn = scenario.blame !== undefined ? [scenario.blame] : scenario.requirements;
  return entries.find(
    (entry) =>
      entry.scenario === scenario.name ||
      (entry.requirement !== undefined && landsOn.includes(entry.requirement)),
  );
}
