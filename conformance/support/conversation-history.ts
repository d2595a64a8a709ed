/**
 * Version 3 (spec §15) as a scenario sees it: the room messages said in a scenario with the ids and
 * times the server gave them, and one HISTORY_PAGE read with its items. What the steps judge is here
 * as small functions: ids that follow each other (REQ-15.5), items that are the messages said
 * (REQ-15.10), a page that announces exactly the items that follow it.
 */
import type { PduOfType } from "../../generated/index.ts";
import type { ClientSession } from "./client-session.ts";

export type RoomMessageV3 = PduOfType<"ROOM_MESSAGE_V3">;
export type HistoryItem = PduOfType<"HISTORY_ITEM">;
export type HistoryPage = PduOfType<"HISTORY_PAGE">;
export type HistoryAnchor = PduOfType<"HISTORY_REQUEST">["anchor"];

/** A message's id and time, the fields every copy of it must carry alike (REQ-15.6). */
export interface MessageId {
  epoch: number;
  seq: number;
  timeS: number;
  timeMs: number;
}

export function idOf(pdu: MessageId): MessageId {
  return { epoch: pdu.epoch, seq: pdu.seq, timeS: pdu.timeS, timeMs: pdu.timeMs };
}

export function sameId(a: MessageId, b: MessageId): boolean {
  return a.epoch === b.epoch && a.seq === b.seq && a.timeS === b.timeS && a.timeMs === b.timeMs;
}

export function describeId(id: MessageId): string {
  return `(epoch ${id.epoch}, seq ${id.seq}, time ${id.timeS}.${String(id.timeMs).padStart(3, "0")})`;
}

/** The text of numbered message `index` of a scenario, so a swapped or lost one shows. */
export function numberedLine(index: number): string {
  return `version 3 message ${index}`;
}

/** Waits for the ROOM_MESSAGE_V3 of `messageId` from `from` in `room`, wherever it is among the rest. */
export async function awaitRoomMessageV3(
  session: ClientSession,
  room: string,
  from: string,
  messageId: number,
): Promise<RoomMessageV3> {
  const { pdu } = await session.awaitPdu(
    "ROOM_MESSAGE_V3",
    (m) => m.room === room && m.from === from && m.messageId === messageId,
    `ROOM_MESSAGE_V3 ${messageId} from ${from} in ${room}`,
  );
  return pdu;
}

/**
 * Sends HISTORY_REQUEST and reads its HISTORY_PAGE, then exactly item_count HISTORY_ITEMs with nothing
 * in between (REQ-15.10). Other PDUs may come before the page (fan-out is not ordered against it).
 */
export async function readHistory(
  session: ClientSession,
  request: {
    targetKind: "ROOM" | "USER";
    target: string;
    anchor: HistoryAnchor;
    epoch?: number;
    seq?: number;
    limit: number;
  },
): Promise<{ page: HistoryPage; items: HistoryItem[] }> {
  const requestId = session.takeRequestId();
  session.peer.send({
    type: "HISTORY_REQUEST",
    version: session.headerVersion,
    requestId,
    targetKind: request.targetKind,
    target: request.target,
    anchor: request.anchor,
    epoch: request.epoch ?? 0,
    seq: request.seq ?? 0,
    limit: request.limit,
  });
  return readPage(session, requestId, `HISTORY_PAGE ${requestId} (${request.anchor})`);
}

/** The HISTORY_PAGE of `requestId` and its items, directly after it (REQ-15.10). */
export async function readPage(
  session: ClientSession,
  requestId: number,
  what: string,
): Promise<{ page: HistoryPage; items: HistoryItem[] }> {
  const { pdu: page } = await session.awaitPdu(
    "HISTORY_PAGE",
    (p) => p.requestId === requestId,
    what,
  );
  const items: HistoryItem[] = [];
  for (let i = 0; i < page.itemCount; i++) {
    const item = await session.expectPdu(
      "HISTORY_ITEM",
      `HISTORY_ITEM ${i + 1} of ${page.itemCount}, right after the page`,
    );
    if (item.requestId !== requestId) {
      session.fail(`HISTORY_ITEM ${i + 1} carried request id ${item.requestId}, not ${requestId}`);
    }
    items.push(item);
  }
  return { page, items };
}

/**
 * The items must be exactly `expected` (the live copies of the messages, oldest first): same ids and
 * times, senders, message ids and texts.
 */
export function judgeItems(
  session: ClientSession,
  items: readonly HistoryItem[],
  expected: readonly RoomMessageV3[],
  what: string,
): void {
  const show = (list: readonly MessageId[]) => list.map((m) => m.seq).join(", ");
  if (items.length !== expected.length) {
    session.fail(
      `${what}: ${items.length} items (seqs ${show(items)}), expected ${expected.length} (seqs ${show(expected)})`,
    );
  }
  items.forEach((item, i) => {
    const live = expected[i]!;
    if (
      !sameId(item, live) ||
      item.from !== live.from ||
      item.messageId !== live.messageId ||
      item.text !== live.text
    ) {
      session.fail(
        `${what}: item ${i + 1} is message ${item.messageId} ${describeId(item)} from ${item.from}; ` +
          `expected message ${live.messageId} ${describeId(live)} from ${live.from}, as it was sent live`,
      );
    }
  });
}
