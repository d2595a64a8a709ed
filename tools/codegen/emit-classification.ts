/**
 * Emits generated/classification.ts: the lookup tables classify() (codec/classify.ts, hand-written)
 * walks, built here from protocol.json so nothing interprets the spec at run time. Only the tables
 * vary with the spec; the order in which classify() consults them is globalRules.doc's and fixed.
 */
import type { CodecModel } from "./codec-model.ts";
import { ROLES } from "./emit-protocol.ts";
import { banner, lit } from "./emitted-file.ts";
import { PEER_ERROR_MESSAGE } from "./protocol-crosscheck.ts";
import type { ProtocolSpec, Role } from "./protocol-loader.ts";

export function emitClassification(p: ProtocolSpec, codec: CodecModel): string {
  const msgT = `${codec.messageTypeEnum.tsName}Name`;
  const errT = `${codec.errorCodeEnum.tsName}Name`;
  const out: string[] = [banner(["spec/pdu.ksy", "spec/protocol.json"])];
  const o = (...lines: string[]) => out.push(...lines);
  o(
    `import type { ${errT}, ${msgT} } from "./constants.ts";`,
    'import { type Role, type StateName, TRANSITIONS, type Transition } from "./protocol.ts";',
    "",
    "/**",
    " * What a receiver does with a PDU: take one of `transitions` (the handler picks by outcome),",
    ' * refuse it with `error`, or, for an ERROR PDU ("peer-error"), log it and close if',
    " * ERRORS[code].closes.",
    " */",
    "export type Classification =",
    '  | { kind: "accept"; transitions: Transition[] }',
    `  | { kind: "reject"; error: ${errT} }`,
    '  | { kind: "peer-error" };',
    "",
    "/** The message every receiver accepts in every state, as a peer's error report. */",
    `export const PEER_ERROR_TYPE = ${lit(PEER_ERROR_MESSAGE)};`,
    "",
    "/** The classification refusing a PDU with each error code. */",
    `export const REJECT: Readonly<Record<${errT}, Classification>> = {`,
  );
  for (const e of codec.errorCodeEnum.entries)
    o(`  ${e.name}: { kind: "reject", error: ${lit(e.name)} },`);
  o("};", "");

  // Rejections of the initial state come first (globalRules.doc); the rest are looked up after the
  // version, sender and since checks.
  const table = (receiver: Role, state: string, initialOnly: boolean): string[] => {
    const rows: string[] = [];
    const inInitial = state === p.initialState;
    for (const m of codec.messageTypeEnum.entries) {
      const rej = p.rejections.find(
        (r) => r.receiver === receiver && r.state === state && r.receives.includes(m.name),
      );
      if (rej !== undefined) {
        if (initialOnly === inInitial) rows.push(`${m.name}: REJECT.${rej.error}`);
        continue;
      }
      if (initialOnly) continue;
      const ts = p.transitions
        .map((t, i) => ({ t, i }))
        .filter(({ t }) => t.receiver === receiver && t.state === state && t.receives === m.name);
      if (ts.length > 0) {
        rows.push(
          `${m.name}: { kind: "accept", transitions: [${ts.map(({ i }) => `TRANSITIONS[${i}]!`).join(", ")}] }`,
        );
      }
    }
    return rows;
  };
  const states = Object.keys(p.states);
  const emitTable = (name: string, doc: string, initialOnly: boolean) => {
    o(`/** ${doc} */`);
    o(
      `export const ${name}: Readonly<Record<Role, Readonly<Record<StateName, Partial<Record<${msgT}, Classification>>>>>> = {`,
    );
    for (const r of ROLES) {
      o(`  ${r}: {`);
      for (const s of states) {
        const rows = table(r, s, initialOnly);
        o(
          rows.length === 0
            ? `    ${s}: {},`
            : `    ${s}: {\n${rows.map((x) => `      ${x},`).join("\n")}\n    },`,
        );
      }
      o("  },");
    }
    o("};", "");
  };
  emitTable("FIRST", "Rejections in the initial state, checked before anything else.", true);
  emitTable("BY_STATE", "Per-state rejections and transitions, checked last.", false);
  return out.join("\n");
}
