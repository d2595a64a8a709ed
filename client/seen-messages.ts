/**
 * The version-3 messages a client has shown, per conversation (a room, or the direct conversation
 * with one user), by their server id (spec §15.2): so a message that reaches it twice (live and in
 * a replay, or again after a reconnect) is shown once (REQ-15.17), and so a reconnecting client
 * can say, per room, the last id it saw (ROOM_RESUME, §15.4). It outlives connections: a
 * ReconnectingSession hands the same one to each of its sessions.
 *
 * A new epoch means the history the client knew is gone: what was recorded for the older epoch
 * is forgotten. The seqs kept per conversation are bounded; the oldest are forgotten first, and
 * an id below everything kept counts as seen (it is older than anything shown recently).
 */
import type { TargetKindName } from "../generated/index.ts";

export interface MessageId {
  epoch: number;
  seq: number;
}

// Far more than a server replays at once (max_page is at most 200); bounds memory per room.
const MAX_REMEMBERED = 10_000;

interface Conversation {
  epoch: number;
  seqs: Set<number>;
  highest: number;
  /** Seqs at or below this were forgotten to stay within MAX_REMEMBERED. */
  forgottenUpTo: number;
}

export class SeenMessages {
  private readonly conversations = new Map<string, Conversation>();

  /**
   * Records the message and says whether it is new: false for one already recorded (drop it).
   */
  record(kind: TargetKindName, name: string, id: MessageId): boolean {
    const key = keyOf(kind, name);
    let conversation = this.conversations.get(key);
    if (conversation === undefined || conversation.epoch !== id.epoch) {
      conversation = { epoch: id.epoch, seqs: new Set(), highest: 0, forgottenUpTo: 0 };
      this.conversations.set(key, conversation);
    }
    if (id.seq <= conversation.forgottenUpTo || conversation.seqs.has(id.seq)) return false;
    conversation.seqs.add(id.seq);
    conversation.highest = Math.max(conversation.highest, id.seq);
    if (conversation.seqs.size > MAX_REMEMBERED) {
      const oldest = Math.min(...conversation.seqs);
      conversation.seqs.delete(oldest);
      conversation.forgottenUpTo = oldest;
    }
    return true;
  }

  /**
   * Notes where a conversation's history stands (a HISTORY_PAGE's epoch and newest_seq) without
   * a message: what came before is not news to this client. Ignored if it knows the epoch already.
   */
  startAt(kind: TargetKindName, name: string, id: MessageId): void {
    const key = keyOf(kind, name);
    if (this.conversations.get(key)?.epoch === id.epoch) return;
    this.conversations.set(key, {
      epoch: id.epoch,
      seqs: new Set(),
      highest: id.seq,
      forgottenUpTo: id.seq,
    });
  }

  /** The newest id recorded for the conversation, if any. */
  last(kind: TargetKindName, name: string): MessageId | undefined {
    const conversation = this.conversations.get(keyOf(kind, name));
    if (conversation === undefined) return undefined;
    return { epoch: conversation.epoch, seq: conversation.highest };
  }
}

function keyOf(kind: TargetKindName, name: string): string {
  return `${kind}:${name}`;
}
