/**
 * flow-model.feature says what spec/protocol.json says: the file is the current rendering of the flow
 * tables, and its rows cover every state × every message type × every protocol version.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { expectationFor, flowRows, MODEL_STATES } from "../../conformance/support/flow-model.ts";
import {
  FLOW_MODEL_FEATURE,
  renderFlowModelFeature,
} from "../../conformance/support/flow-model-feature.ts";
import { MESSAGE_RULES, SUPPORTED_VERSIONS } from "../../generated/index.ts";
import { REPO } from "./run-suite.ts";

describe("the flow model (conformance/features/flow-model.feature)", () => {
  test("the feature file is the current rendering of spec/protocol.json", () => {
    assert.equal(
      readFileSync(join(REPO, FLOW_MODEL_FEATURE), "utf8"),
      renderFlowModelFeature(),
      "stale: run node --import tsx conformance/tools/write-flow-model-feature.ts",
    );
  });

  test("every type is tried in every state of every version (CONNECTED: in the version that has it)", () => {
    const rows = new Set(flowRows().map((r) => `${r.version} ${r.state} ${r.type}`));
    const types = Object.keys(MESSAGE_RULES) as (keyof typeof MESSAGE_RULES)[];
    for (const version of SUPPORTED_VERSIONS) {
      for (const state of MODEL_STATES) {
        for (const type of types) {
          if (state === "CONNECTED" && MESSAGE_RULES[type].since !== version) continue;
          assert.ok(rows.has(`${version} ${state} ${type}`), `${version} ${state} ${type}`);
        }
      }
    }
    assert.equal(rows.size, flowRows().length, "no row twice");
  });

  test("the model follows the tables: a few rows checked by hand against spec/README.md §8.2", () => {
    const expect = (
      version: number,
      state: "CONNECTED" | "NEGOTIATED" | "AUTHENTICATED",
      type: keyof typeof MESSAGE_RULES,
      versions?: number[],
    ) => expectationFor({ version, state, type }, versions);
    assert.deepEqual(expect(1, "CONNECTED", "CHAT"), {
      kind: "reject",
      error: "NEGOTIATION_REQUIRED",
      closes: true,
    });
    assert.deepEqual(expect(1, "AUTHENTICATED", "ROOM_JOIN"), {
      kind: "reject",
      error: "UNSUPPORTED_IN_VERSION",
      closes: false,
    });
    assert.deepEqual(expect(1, "AUTHENTICATED", "ROOM_RESULT"), {
      kind: "reject",
      error: "UNEXPECTED_MESSAGE",
      closes: false,
    });
    assert.deepEqual(expect(2, "NEGOTIATED", "TYPING"), {
      kind: "reject",
      error: "AUTHENTICATION_REQUIRED",
      closes: false,
    });
    assert.deepEqual(expect(2, "AUTHENTICATED", "LOGIN_REQUEST"), {
      kind: "reject",
      error: "ALREADY_AUTHENTICATED",
      closes: false,
    });
    assert.deepEqual(expect(1, "NEGOTIATED", "ERROR"), { kind: "ignore" });
    // A version 1 server need not know version 2's types at all (REQ-3.5): either answer will do.
    assert.deepEqual(expect(1, "AUTHENTICATED", "ROOM_JOIN", [1]), {
      kind: "reject",
      error: "UNSUPPORTED_IN_VERSION",
      closes: false,
      or: "UNKNOWN_MESSAGE_TYPE",
    });
    const chat = expect(2, "AUTHENTICATED", "CHAT");
    assert.equal(chat.kind, "accept");
    assert.deepEqual(chat.kind === "accept" && chat.transitions.map((t) => t.replies), [
      "CHAT_ECHO",
    ]);
  });
});
