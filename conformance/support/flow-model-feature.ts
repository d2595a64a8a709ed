/**
 * Renders conformance/features/flow-model.feature from the flow model (flow-model.ts): one Scenario
 * Outline, one Examples block per protocol version and requirement, one row per state and message type.
 * The feature file is written by conformance/tools/write-flow-model-feature.ts and checked against this
 * rendering by test/conformance/flow-model.test.ts, so it always says what spec/protocol.json says.
 */
import { describeExpectation, expectationFor, type FlowRow, flowRows } from "./flow-model.ts";

export const FLOW_MODEL_FEATURE = "conformance/features/flow-model.feature";

const HEADER = `# Written by conformance/tools/write-flow-model-feature.ts from spec/protocol.json (through
# generated/protocol.ts). Do not edit: change the spec, run \`make generate\`, then
# \`node --import tsx conformance/tools/write-flow-model-feature.ts\`.
Feature: The flow tables, state by state and type by type
  For every state a client can put a connection in (CONNECTED, NEGOTIATED, AUTHENTICATED), every message
  type and every protocol version, the server answers a well-formed PDU of that type, sent with the header
  version its state prescribes, as spec/protocol.json says (transitions, rejections, globalRules, the
  error table): the reply or ERROR, whether it closes, and the state that follows, which is then probed
  (a CHAT is refused before login and echoed after it). The hand-written features judge what the tables
  cannot say.

  @MUST
  Scenario Outline: Flow model, version <version>, <state>: <type>
    Given the server speaks protocol version <version>
    And a connection "M" in state <state> of protocol version <version>
    When "M" sends the flow model's <type> PDU
    Then the server answers "M" as the flow tables say for <type> in <state> of version <version>: <expected>
`;

export function renderFlowModelFeature(rows: readonly FlowRow[] = flowRows()): string {
  const groups = new Map<string, FlowRow[]>();
  for (const row of rows) {
    const key = `@v${row.version} @${row.requirement}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const blocks = [...groups].map(([tags, group]) => {
    const cells = group.map((row) => [
      String(row.version),
      row.state,
      row.type,
      describeExpectation(expectationFor(row)),
    ]);
    return `\n    ${tags}\n    Examples: ${tags.replaceAll("@", "")}\n${table([["version", "state", "type", "expected"], ...cells])}`;
  });
  return HEADER + blocks.join("");
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map(
      (row) => `      | ${row.map((cell, column) => cell.padEnd(widths[column]!)).join(" | ")} |\n`,
    )
    .join("");
}
