/**
 * Which protocol version a message type or an error code belongs to, so the suite can tell when a
 * server sends something that does not exist on a connection (REQ-11.1), above all version 2 traffic on
 * a version 1 connection (REQ-12.3), whatever the scenario was waiting for.
 */
import { ERRORS, type ErrorCodeName, MESSAGE_RULES, type Pdu } from "../../generated/index.ts";

/** The first protocol version in which the server may send this PDU (its type's, or its code's). */
export function pduSince(pdu: Pdu): number {
  const typeSince = MESSAGE_RULES[pdu.type].since;
  return pdu.type === "ERROR" ? Math.max(typeSince, errorCodeSince(pdu.code)) : typeSince;
}

/**
 * spec/README.md §8.1 and §11: a code is sent only on connections that negotiated the version it
 * exists since (every 4xx code and SLOW_CONSUMER are version 2's): protocol.json's "since", through
 * the generated ERRORS table.
 */
export function errorCodeSince(code: ErrorCodeName): number {
  return ERRORS[code].since;
}

/**
 * The requirement a PDU of a later version breaks: REQ-12.3 names the version 2 case (a server serving
 * version 2 sessions leaking their traffic to a version 1 one), REQ-11.1 the general rule.
 */
export function outOfVersionRequirement(since: number, inEffect: number): string {
  return since === 2 && inEffect === 1 ? "REQ-12.3" : "REQ-11.1";
}
