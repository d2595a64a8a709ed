/**
 * ERROR from the peer (spec §9): never answered (classify() calls it a peer error, with no
 * transition); a code the error table marks as closing ends the session.
 */
import { ERRORS, type PduOfType } from "../../generated/index.ts";
import type { HandlerContext } from "../session-context.ts";

export function peerError(pdu: PduOfType<"ERROR">, session: HandlerContext): undefined {
  const closes = ERRORS[pdu.code].closes;
  session.log.warn({ code: pdu.code, text: pdu.text, closes }, "peer sent ERROR");
  if (closes) session.beginClose(`peer sent ERROR ${pdu.code}`);
  return undefined;
}
