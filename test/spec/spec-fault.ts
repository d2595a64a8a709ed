/** The SpecError a broken spec raises, for tests that break the spec on purpose. */
import assert from "node:assert/strict";
import { SpecError } from "../../tools/codegen/spec-error.ts";

/** Runs `load` and returns the SpecError it throws; fails the test if it throws none. */
export function specFault(load: () => unknown, accepted: string): SpecError {
  try {
    load();
  } catch (e) {
    assert.ok(e instanceof SpecError, `expected SpecError, got ${String(e)}`);
    return e;
  }
  assert.fail(accepted);
}
