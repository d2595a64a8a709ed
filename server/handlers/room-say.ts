/**
 * ROOM_SAY (REQ-12.16, REQ-12.17): no reply; one room message to every member, the sender
 * included. With version 3 offered (REQ-15.5, REQ-15.7) the message first takes the room's next
 * id from the store and is published in its version-3 form (version-2 members get ROOM_MESSAGE,
 * version-2-form.ts); both steps run as one (room-messages.ts): in the room's lane on one server,
 * in one Redis script in a cluster, so members get the ids in order (REQ-15.7, REQ-13.18).
 */
import type { PduOfType } from "../../generated/index.ts";
import { whenReady } from "../awaitable.ts";
import { roomLane } from "../history/history-context.ts";
import type { Handled, HandlerContext } from "../session-context.ts";
import { StoreUnavailable } from "../store-unavailable.ts";

export function roomSay(pdu: PduOfType<"ROOM_SAY">, session: HandlerContext): Handled {
  const { messageId, room, text } = pdu;
  const { rooms, bus, history } = session.shared;
  const me = session.me();
  return whenReady(rooms.isMember(me, room), (member) => {
    if (!member) {
      return {
        outcome: "NOT_MEMBER",
        reply: { type: "ROOM_RESULT", requestId: messageId, status: "NOT_MEMBER", room },
      };
    }
    const audience = { kind: "roomMembers", room } as const;
    if (history === undefined) {
      return {
        outcome: "OK",
        fanOut: () =>
          toldWhenUnavailable(
            bus.publish(audience, { type: "ROOM_MESSAGE", messageId, room, from: me.user, text }),
            session,
          ),
      };
    }
    const draft = { messageId, from: me.user, text, acceptedAtMs: history.wallClock() };
    const { roomMessages } = history;
    const say = () => roomMessages.say(room, draft);
    return {
      outcome: "OK",
      fanOut: () =>
        toldWhenUnavailable(
          roomMessages.atomic ? say() : history.lanes.run(roomLane(room), say),
          session,
        ),
    };
  });
}

/**
 * A cluster's store away (the room's channel, or the history stream): the sender is told, and
 * its session goes on (REQ-13.17); the message reached no one, so nothing is half delivered.
 */
function toldWhenUnavailable(
  published: number | Promise<number>,
  session: HandlerContext,
): number | Promise<number> {
  if (!(published instanceof Promise)) return published;
  return published.catch((error: unknown) => {
    if (!(error instanceof StoreUnavailable)) throw error;
    session.sendError("SERVICE_UNAVAILABLE", error.message);
    return 0;
  });
}
