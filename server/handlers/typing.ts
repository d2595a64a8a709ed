/**
 * TYPING (REQ-12.22..12.28): the rate limit first (a TYPING that passes it counts as accepted,
 * whatever comes next), then membership of a target room, then the relay.
 */
import type { PduOfType } from "../../generated/index.ts";
import { errorPdu } from "../outgoing-pdu.ts";
import type { HandlerContext, HandlerResult } from "../session-context.ts";

export function typing(pdu: PduOfType<"TYPING">, session: HandlerContext): HandlerResult {
  const { targetKind, target, state } = pdu;
  const { typing: tracker, rooms } = session.shared;
  const me = session.me();
  if (!tracker.admit(me)) {
    return {
      outcome: "RATE_LIMITED",
      reply: errorPdu(
        "RATE_LIMITED",
        `TYPING less than ${tracker.minIntervalMs} ms after the previous one; dropped`,
      ),
    };
  }
  if (targetKind === "ROOM" && !rooms.isMember(me, target)) {
    return {
      outcome: "NOT_MEMBER",
      reply: { type: "ROOM_RESULT", requestId: 0, status: "NOT_MEMBER", room: target },
    };
  }
  return { outcome: "OK", fanOut: () => tracker.relay(me, targetKind, target, state) };
}
