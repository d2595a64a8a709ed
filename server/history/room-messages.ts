/**
 * RoomMessages: how a version-3 room message takes its id (REQ-15.5) and its place in the room's
 * order (REQ-12.8, REQ-15.7), and reaches the members. The two must not come apart: if another
 * message of the room could take the next id or be handed out in between, members would see ids
 * that do not increase.
 *
 * On one server the room's lane keeps them together (keyed-lanes.ts): the store gives the id,
 * then the bus fans out, and nothing else of that room runs in between. In a cluster a lane holds
 * back only its own node, so the cluster puts both into one atomic step in its shared store
 * (server/cluster/atomic-room-messages.ts, REQ-13.18), behind this same interface.
 */
import type { Awaitable } from "../awaitable.ts";
import type { FanOutBus } from "../fan-out-bus.ts";
import { roomConversation } from "./conversation.ts";
import type { MessageDraft, MessageStore, StoredMessage } from "./message-store.ts";
import { roomMessageV3 } from "./stamped-pdus.ts";

export interface RoomMessages {
  /**
   * Whether `say` gives the id and the place in the room's order in one atomic step itself (a
   * cluster's does): then it needs no room lane around it, and one room's messages from several
   * sessions go to the store side by side instead of one round trip after the other.
   */
  readonly atomic: boolean;
  /**
   * Keeps `draft` in the room's history with the room's next id and hands it, in its version-3
   * form, to every member; resolves to how many it reached. Called in the room's lane unless
   * `atomic`.
   */
  say(room: string, draft: MessageDraft): Awaitable<number>;
}

/**
 * One process's: append, then publish. A store that answers at once (the memory store) makes the
 * whole step synchronous, so a room message costs no microtask and its sender's next PDU is read
 * without a pause (the fan-out path `make bench` measures).
 */
export function appendThenPublish(store: MessageStore, bus: FanOutBus): RoomMessages {
  const publish = (room: string, stored: StoredMessage) =>
    bus.publish({ kind: "roomMembers", room }, roomMessageV3(room, stored));
  return {
    atomic: false,
    say: (room, draft) => {
      const stored = store.append(roomConversation(room), draft);
      return stored instanceof Promise
        ? stored.then((ready) => publish(room, ready))
        : publish(room, stored);
    },
  };
}
