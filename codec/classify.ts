/**
 * classify(): what a receiver does with a decoded PDU in its state, by protocol.json's globalRules.
 * Hand-written because the order of the rules is fixed (globalRules.doc, spec/README.md §8.2 steps
 * 4-10); the tables it consults are generated from protocol.json (generated/classification.ts).
 */

import {
  BY_STATE,
  type Classification,
  FIRST,
  PEER_ERROR_TYPE,
  REJECT,
} from "../generated/classification.ts";
import type { MessageTypeName } from "../generated/constants.ts";
import { GLOBAL_RULES, MESSAGE_RULES, type Role, type StateName } from "../generated/protocol.ts";

const PEER_ERROR: Classification = { kind: "peer-error" };

/**
 * Classifies a PDU that `receiver` got in `state`, following protocol.json globalRules: ERROR
 * first, then the initial state's rejections, then (1) header version, (2) sender role, (3)
 * messages.since, (4) per-state rejections, (5) transitions, (6) globalRules.noRule for a PDU no
 * rule covers. `negotiatedVersion` is null until negotiation completes.
 */
export function classify(
  receiver: Role,
  state: StateName,
  negotiatedVersion: number | null,
  header: { version: number; type: MessageTypeName },
): Classification {
  const type = header.type;
  if (type === PEER_ERROR_TYPE) return PEER_ERROR;
  const first = FIRST[receiver][state][type];
  if (first !== undefined) return first;
  const rule = MESSAGE_RULES[type];
  const expected = rule.headerVersion === "zero" ? 0 : (negotiatedVersion ?? 0);
  if (rule.headerVersion !== "current" && header.version !== expected) {
    return REJECT[GLOBAL_RULES.wrongHeaderVersion];
  }
  if (rule.sender === receiver) return REJECT[GLOBAL_RULES.wrongSender];
  if (negotiatedVersion !== null && rule.since > negotiatedVersion) {
    return REJECT[GLOBAL_RULES.notInVersion];
  }
  return BY_STATE[receiver][state][type] ?? REJECT[GLOBAL_RULES.noRule];
}
