/**
 * Where a PDU from the server goes, decided by the generated tables alone: `classify("client",
 * ...)` says whether the current state accepts it, and the transition whose outcome matches (the
 * message's status, or OK if it has none) names the state it leads to. The session then hands it
 * to the handler of its type, or answers the server with the refusal's error code.
 */
import {
  type ClientReceivedType,
  classify,
  type ErrorCodeName,
  type Pdu,
  type PduOfType,
  type StateName,
} from "../generated/index.ts";
import { isClientReceived } from "./handlers/client-handlers.ts";

export type ReceiveRoute =
  | { kind: "handle"; pdu: PduOfType<ClientReceivedType>; next: StateName }
  | { kind: "refuse"; code: ErrorCodeName; detail: string };

export function routeReceived(state: StateName, version: number | null, pdu: Pdu): ReceiveRoute {
  const verdict = classify("client", state, version, { version: pdu.version, type: pdu.type });
  if (verdict.kind === "reject") {
    return refuse(verdict.error, `${pdu.type} (header version ${pdu.version})`);
  }
  if (!isClientReceived(pdu)) {
    // classify() accepts only what the spec lets a server send; this is a bug in the tables.
    return refuse("UNEXPECTED_MESSAGE", `${pdu.type} is not a message a client receives`);
  }
  // An ERROR moves no transition: the handler decides from its code.
  if (verdict.kind === "peer-error") return { kind: "handle", pdu, next: state };
  const outcome = "status" in pdu ? pdu.status : "OK";
  const transition = verdict.transitions.find((each) => each.outcome === outcome);
  if (transition === undefined) {
    return refuse("MALFORMED_PAYLOAD", `${pdu.type} with outcome ${outcome}`);
  }
  return { kind: "handle", pdu, next: transition.next };
}

function refuse(code: ErrorCodeName, detail: string): ReceiveRoute {
  return { kind: "refuse", code, detail };
}
