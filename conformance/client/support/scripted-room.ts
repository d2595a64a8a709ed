/**
 * The one room of a version-3 client scenario as a conforming server keeps it (spec §15.2-15.4):
 * its history in one epoch, message `n` said by user2 with the text "lobby line n" at a fixed time,
 * and the pages a HISTORY_REQUEST or a ROOM_RESUME gets from it. The times are fixed so a scenario
 * can name the line a client shows for a message (REQ-15.28): seq n of any epoch was accepted at
 * 2026-12-01T21:58:00Z + n s + 10n ms.
 */
import type {
  HistoryAnchorName,
  HistoryItemPdu,
  HistoryPagePdu,
  HistoryStatusName,
  RoomMessageV3Pdu,
} from "../../../generated/index.ts";

const BASE_TIME_S = 1_796_162_280;
export const ROOM_SPEAKER = "user2";

export interface StoredMessage {
  seq: number;
  text: string;
  timeS: number;
  timeMs: number;
}

/** The time seq `n` was accepted at, as the contract's output lines write it (ISO 8601, UTC). */
export function shownTime(seq: number): string {
  return new Date((BASE_TIME_S + seq) * 1000 + 10 * seq).toISOString();
}

export class ScriptedRoom {
  epoch = 0x1a2b3c4d;
  readonly messages: StoredMessage[] = [];

  constructor(
    readonly name: string,
    earlier: number,
  ) {
    for (let i = 0; i < earlier; i++) this.add();
  }

  /** user2 says the room's next message; returned as it is kept. */
  add(): StoredMessage {
    const seq = (this.messages.at(-1)?.seq ?? 0) + 1;
    const message = {
      seq,
      text: `${this.name} line ${seq}`,
      timeS: BASE_TIME_S + seq,
      timeMs: 10 * seq,
    };
    this.messages.push(message);
    return message;
  }

  /** What came before is gone (a server restart, REQ-15.8): a new epoch, starting from seq 1. */
  newEpoch(): void {
    this.epoch = 0x5e6f7a81;
    this.messages.splice(0);
  }

  get newestSeq(): number {
    return this.messages.at(-1)?.seq ?? 0;
  }

  message(seq: number): StoredMessage {
    const found = this.messages.find((message) => message.seq === seq);
    if (!found) throw new Error(`scenario bug: ${this.name} has no message ${seq}`);
    return found;
  }

  live(message: StoredMessage, version: number): RoomMessageV3Pdu {
    return {
      type: "ROOM_MESSAGE_V3",
      version,
      messageId: message.seq,
      room: this.name,
      from: ROOM_SPEAKER,
      epoch: this.epoch,
      seq: message.seq,
      timeS: message.timeS,
      timeMs: message.timeMs,
      text: message.text,
    };
  }

  /** The page the table of §15.3 gives, its items following, at most `n` of them. */
  page(
    requestId: number,
    anchor: HistoryAnchorName,
    from: { epoch: number; seq: number },
    n: number,
    version: number,
  ): [HistoryPagePdu, ...HistoryItemPdu[]] {
    const current = anchor === "LATEST" || from.epoch === this.epoch;
    let status: HistoryStatusName = current ? "OK" : "GAP";
    let chosen: StoredMessage[];
    if (anchor === "LATEST" || (!current && anchor === "BEFORE")) {
      chosen = n === 0 ? [] : this.messages.slice(-n);
    } else if (!current) {
      chosen = this.messages.slice(0, n);
    } else if (anchor === "BEFORE") {
      const before = this.messages.filter((message) => message.seq < from.seq);
      chosen = n === 0 ? [] : before.slice(-n);
    } else {
      chosen = this.messages.filter((message) => message.seq > from.seq).slice(0, n);
      const oldest = this.messages[0]?.seq ?? 0;
      if (from.seq < this.newestSeq && from.seq + 1 < oldest) status = "GAP";
    }
    return [
      {
        type: "HISTORY_PAGE",
        version,
        requestId,
        status,
        targetKind: "ROOM",
        target: this.name,
        epoch: this.epoch,
        oldestSeq: this.messages[0]?.seq ?? 0,
        newestSeq: this.newestSeq,
        itemCount: chosen.length,
      },
      ...chosen.map(
        (message): HistoryItemPdu => ({
          type: "HISTORY_ITEM",
          version,
          requestId,
          epoch: this.epoch,
          seq: message.seq,
          timeS: message.timeS,
          timeMs: message.timeMs,
          messageId: message.seq,
          from: ROOM_SPEAKER,
          text: message.text,
        }),
      ),
    ];
  }
}
