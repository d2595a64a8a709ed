/**
 * One history page (spec §15.3): which messages an anchor selects, whether the page is OK or a
 * GAP, and sending it as a HISTORY_PAGE followed directly by its HISTORY_ITEMs (REQ-15.10). Used
 * by HISTORY_REQUEST and by the replay of ROOM_RESUME (REQ-15.15), which is an AFTER page.
 */
import type {
  HistoryAnchorName,
  HistoryStatusName,
  TargetKindName,
} from "../../generated/index.ts";
import type { OutgoingPdu } from "../outgoing-pdu.ts";
import type { Conversation } from "./conversation.ts";
import type { HistoryQuery, HistoryRange, MessageStore, StoredMessage } from "./message-store.ts";
import { historyItem } from "./stamped-pdus.ts";

export interface PageRequest {
  anchor: HistoryAnchorName;
  epoch: number;
  seq: number;
  /** Already the smaller of the client's limit and the advertised page size. */
  limit: number;
}

export interface Page {
  status: Extract<HistoryStatusName, "OK" | "GAP">;
  range: HistoryRange;
  messages: StoredMessage[];
}

/** The page of spec §15.3's table; a second read only when the anchor's epoch is not current. */
export async function readPage(
  store: MessageStore,
  conversation: Conversation,
  request: PageRequest,
): Promise<Page> {
  const { anchor, epoch, seq, limit } = request;
  const query: HistoryQuery = anchor === "LATEST" ? { anchor, limit } : { anchor, seq, limit };
  const read = await store.read(conversation, query);
  if (anchor === "LATEST") return { status: "OK", ...read };
  if (epoch !== read.range.epoch) {
    // Ids of another epoch say nothing about this one: BEFORE gets the newest, AFTER the oldest.
    const fallback: HistoryQuery =
      anchor === "BEFORE" ? { anchor: "LATEST", limit } : { anchor: "AFTER", seq: 0, limit };
    return { status: "GAP", ...(await store.read(conversation, fallback)) };
  }
  return { status: anchor === "AFTER" && lostAfter(seq, read.range) ? "GAP" : "OK", ...read };
}

/** Messages right after `seq` were accepted but are no longer kept (REQ-15.12). */
function lostAfter(seq: number, range: HistoryRange): boolean {
  if (seq >= range.newestSeq) return false;
  return range.oldestSeq === 0 || seq + 1 < range.oldestSeq;
}

/** HISTORY_PAGE then its items, in one synchronous run so nothing comes in between. */
export function sendPage(
  send: (pdu: OutgoingPdu) => unknown,
  requestId: number,
  target: { targetKind: TargetKindName; target: string },
  page: Page,
): void {
  const { epoch, oldestSeq, newestSeq } = page.range;
  send({
    type: "HISTORY_PAGE",
    requestId,
    status: page.status,
    ...target,
    epoch,
    oldestSeq,
    newestSeq,
    itemCount: page.messages.length,
  });
  for (const message of page.messages) send(historyItem(requestId, message));
}
