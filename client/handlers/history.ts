/**
 * History (spec §15.3, §15.4): a HISTORY_PAGE, then exactly its item_count HISTORY_ITEMs under
 * the same request id. The request stays outstanding until its last item; the user interface
 * hears once per request, with every message. A resume's replay pages on (AFTER the last item)
 * while the server has newer messages than the page gave, so "what was missed" is reported
 * whole; its messages already shown are left out. A "cursor" page (limit 0, after a ROOM_JOIN)
 * only notes where the room's history stands, so a later resume starts from there.
 */
import { type HistoryItemPdu, type HistoryPagePdu, LIMITS } from "../../generated/index.ts";
import type { PendingRequest } from "../pending-requests.ts";
import { ignoredAnswer } from "./not-outstanding.ts";
import type { ReceiveContext, SessionCore } from "./receive-context.ts";
import { stampOf } from "./version-3.ts";

// A replay longer than this is cut short and reported as a gap: a client that was away for very
// long should page with /history rather than have thousands of lines poured out at once.
export const MAX_REPLAYED = 1000;

type HistoryRequest = Extract<PendingRequest, { kind: "HISTORY_REQUEST" }>;

export function receiveHistoryPage(pdu: HistoryPagePdu, { session }: ReceiveContext): void {
  const pending = session.requests.pending;
  const request = pending.peek(pdu.requestId, ["HISTORY_REQUEST"]);
  if (request === undefined || request.page !== undefined) {
    ignoredAnswer(session, "a HISTORY_PAGE for request id", pdu.requestId);
    return;
  }
  request.page = {
    status: pdu.status,
    epoch: pdu.epoch,
    newestSeq: pdu.newestSeq,
    itemCount: pdu.itemCount,
    itemsLeft: pdu.itemCount,
  };
  // A GAP from an anchor in epoch 0 (the client knew no history there) tells nothing new.
  if (pdu.status === "GAP" && request.anchorEpoch !== 0) request.gap = true;
  if (pdu.itemCount === 0) finish(session, pdu.requestId, request);
}

export function receiveHistoryItem(pdu: HistoryItemPdu, { session }: ReceiveContext): void {
  const request = session.requests.pending.peek(pdu.requestId, ["HISTORY_REQUEST"]);
  if (request?.page === undefined || request.page.itemsLeft === 0) {
    ignoredAnswer(session, "a HISTORY_ITEM for request id", pdu.requestId);
    return;
  }
  request.collected.push({
    stamp: stampOf(pdu),
    messageId: pdu.messageId,
    from: pdu.from,
    text: pdu.text,
  });
  request.page.itemsLeft -= 1;
  if (request.page.itemsLeft === 0) finish(session, pdu.requestId, request);
}

function finish(session: SessionCore, requestId: number, request: HistoryRequest): void {
  const requests = session.requests;
  requests.pending.take(requestId, ["HISTORY_REQUEST"]);
  const page = request.page!;
  const { targetKind, target } = request;
  if (request.purpose === "cursor") {
    session.seen.startAt(targetKind, target, { epoch: page.epoch, seq: page.newestSeq });
    session.answered();
    return;
  }
  const messages = request.collected;
  if (request.purpose === "resume") {
    const last = messages.at(-1);
    const newerKept =
      last !== undefined && last.stamp.epoch === page.epoch && last.stamp.seq < page.newestSeq;
    const withinCap = messages.length < MAX_REPLAYED;
    if (newerKept && page.itemCount > 0 && withinCap && requests.canFollowUp()) {
      const from = { epoch: last.stamp.epoch, seq: last.stamp.seq };
      const anchor = { anchor: "AFTER" as const, from };
      requests.requestHistoryPage(
        "resume",
        targetKind,
        target,
        anchor,
        LIMITS.maxHistoryPage,
        messages,
        request.gap,
      );
      session.answered();
      return;
    }
    const fresh = messages.filter((message) =>
      session.seen.record(targetKind, target, message.stamp),
    );
    session.events.emit({
      kind: "history",
      purpose: "resume",
      targetKind,
      target,
      status: page.status,
      gap: request.gap || (newerKept && !withinCap),
      messages: fresh,
    });
    session.events.release(target);
  } else {
    // Shown because the user asked, whether or not seen before; noted as seen from now on.
    for (const message of messages) session.seen.record(targetKind, target, message.stamp);
    session.events.emit({
      kind: "history",
      purpose: "history",
      targetKind,
      target,
      status: page.status,
      gap: request.gap,
      messages,
    });
  }
  session.answered();
}
