/**
 * ROOM_SAY (REQ-12.16, REQ-12.17): no reply; one room message to every member, the sender
 * included. With version 3 offered (REQ-15.5, REQ-15.7) the message first takes the room's next
 * id from the store and is published in its version-3 form (version-2 members get ROOM_MESSAGE,
 * version-2-form.ts); both steps run in the room's lane, so members get the ids in order.
 */
import type { PduOfType } from "../../generated/index.ts";
import { whenReady } from "../awaitable.ts";
import { roomConversation } from "../history/conversation.ts";
import { roomLane } from "../history/history-context.ts";
import { roomMessageV3 } from "../history/stamped-pdus.ts";
import type { Handled, HandlerContext } from "../session-context.ts";

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
          bus.publish(audience, { type: "ROOM_MESSAGE", messageId, room, from: me.user, text }),
      };
    }
    const draft = { messageId, from: me.user, text, acceptedAtMs: history.wallClock() };
    return {
      outcome: "OK",
      fanOut: () =>
        history.lanes.run(roomLane(room), async () => {
          const stored = await history.store.append(roomConversation(room), draft);
          return bus.publish(audience, roomMessageV3(room, stored));
        }),
    };
  });
}
