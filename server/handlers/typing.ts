/**
 * TYPING (REQ-12.22..12.28, 12.40): the rate limit first (a TYPING that passes it counts as accepted,
 * whatever comes next), then membership of a target room, then the relay.
 */
import type { PduOfType } from "../../generated/index.ts";
import { whenReady } from "../awaitable.ts";
import { errorPdu } from "../outgoing-pdu.ts";
import type { Handled, HandlerContext, HandlerResult } from "../session-context.ts";

export function typing(pdu: PduOfType<"TYPING">, session: HandlerContext): Handled {
  const { targetKind, target, state } = pdu;
  const { typing: tracker, rooms } = session.shared;
  const me = session.me();
  // The rate limit is per login, so it stays with this server even in a cluster.
  if (!tracker.admit(me)) {
    return {
      outcome: "RATE_LIMITED",
      reply: errorPdu(
        "RATE_LIMITED",
        `TYPING less than ${tracker.minIntervalMs} ms after the previous one; dropped`,
      ),
    };
  }
  const relay: HandlerResult = {
    outcome: "OK",
    fanOut: () => tracker.relay(me, targetKind, target, state),
  };
  if (targetKind !== "ROOM") return relay;
  return whenReady(rooms.isMember(me, target), (member) =>
    member
      ? relay
      : {
          outcome: "NOT_MEMBER",
          reply: { type: "ROOM_RESULT", requestId: 0, status: "NOT_MEMBER", room: target },
        },
  );
}
