/**
 * AtomicRoomMessages: a version-3 room message takes its id and its place in the room's order in
 * one atomic step in the cluster's Redis (REQ-13.18). The history's append script gives the id
 * and, in the same script, publishes the message with that id on the room's channel
 * (redis-stream-scripts.ts), so no other node's message can take the next id or be published in
 * between: the channel's order, which every member on every node receives (room-sequence.ts), is
 * the order of the ids, and a version-2 member sees the same sequence without them.
 *
 * Two steps instead (append, then publish) would let two nodes appending at once publish in the
 * other order, and members would see ids that do not increase.
 */
import { roomConversation } from "../history/conversation.ts";
import type { MessageDraft } from "../history/message-store.ts";
import type { RedisStreamsMessageStore } from "../history/redis-streams-message-store.ts";
import type { RoomMessages } from "../history/room-messages.ts";
import type { RoomSequence } from "./room-sequence.ts";

export class AtomicRoomMessages implements RoomMessages {
  /**
   * No lane needed: the script orders the messages of every node, and a ROOM_RESUME drops from
   * its live messages what its replay covered (room-sequence.ts `dropHeldThrough`).
   */
  readonly atomic = true;

  constructor(
    private readonly sequence: RoomSequence,
    /** On the cluster's own Redis: the channel it publishes on is the one the nodes hear. */
    private readonly store: RedisStreamsMessageStore,
  ) {}

  say(room: string, draft: MessageDraft): Promise<number> {
    const { messageId, from, text } = draft;
    return this.sequence.publishStamped(room, { messageId, from, text }, async (channel, json) => {
      const conversation = roomConversation(room);
      const { subscribers } = await this.store.appendAndPublish(conversation, draft, channel, json);
      return subscribers;
    });
  }
}
