/**
 * The requests a session has sent and the server has not answered yet, by id, so each answer can
 * be matched to what it answers (a DIRECT_STATUS carries only an id) and so logging out can wait
 * until nothing is outstanding.
 *
 * Every entry also records when it was sent relative to the logout barrier's PINGs (`mark()`):
 * the server handles a connection's frames in order (REQ-2.9), so once the PONG of a PING comes
 * back, whatever was sent before that PING and is still here will never be answered.
 */

import type { HistoryStatusName, TargetKindName } from "../generated/index.ts";
import type { MessageId } from "./seen-messages.ts";
import type { HistoryMessage } from "./session-event.ts";

/**
 * Why a HISTORY_REQUEST was sent: the user asked ("history"), a resume pages on past max_page
 * ("resume"), or the client learns where a room it joined stands ("cursor", never shown).
 */
export type HistoryPurpose = "history" | "resume" | "cursor";

/** A HISTORY_PAGE received, while its items arrive. */
export interface PageInProgress {
  status: HistoryStatusName;
  epoch: number;
  newestSeq: number;
  itemsLeft: number;
  itemCount: number;
}

export type PendingRequest =
  | { kind: "CHAT" }
  | { kind: "DIRECT_SEND"; to: string }
  | { kind: "ROOM_JOIN" | "ROOM_LEAVE" | "ROOM_SAY"; room: string }
  /** `from`: the last id seen in the room, the anchor of the replay. */
  | { kind: "ROOM_RESUME"; room: string; from: MessageId }
  | {
      kind: "HISTORY_REQUEST";
      purpose: HistoryPurpose;
      targetKind: TargetKindName;
      target: string;
      /** The epoch the client asked from (0: it knew no history there, so GAP is no news). */
      anchorEpoch: number;
      /** Items of earlier pages (a resume pages on) and of this page so far. */
      collected: HistoryMessage[];
      /** A GAP page came before: the collected messages do not start where asked. */
      gap: boolean;
      page?: PageInProgress;
    }
  /** `collected`: the names of the pages received so far; a list may take several requests. */
  | { kind: "ROOM_LIST_REQUEST"; collected: string[] }
  | { kind: "WHO_REQUEST"; room: string; collected: string[] };

export type RequestKind = PendingRequest["kind"];

export interface Unanswered {
  id: number;
  kind: RequestKind;
}

export class PendingRequests {
  private readonly byId = new Map<number, { request: PendingRequest; sequence: number }>();
  private sequence = 0;

  get size(): number {
    return this.byId.size;
  }

  add(id: number, request: PendingRequest): void {
    this.sequence += 1;
    this.byId.set(id, { request, sequence: this.sequence });
  }

  /** Removes and returns the request with this id if it is one of `kinds`; else leaves it. */
  take<K extends RequestKind>(
    id: number,
    kinds: readonly K[],
  ): Extract<PendingRequest, { kind: K }> | undefined {
    const entry = this.byId.get(id);
    if (entry === undefined || !(kinds as readonly RequestKind[]).includes(entry.request.kind)) {
      return undefined;
    }
    this.byId.delete(id);
    return entry.request as Extract<PendingRequest, { kind: K }>;
  }

  /** The request with this id if it is one of `kinds`, left outstanding. */
  peek<K extends RequestKind>(
    id: number,
    kinds: readonly K[],
  ): Extract<PendingRequest, { kind: K }> | undefined {
    const entry = this.byId.get(id);
    if (entry === undefined || !(kinds as readonly RequestKind[]).includes(entry.request.kind)) {
      return undefined;
    }
    return entry.request as Extract<PendingRequest, { kind: K }>;
  }

  /** Whether `id` is outstanding as one of `kinds`, without taking it. */
  has(id: number, kinds: readonly RequestKind[]): boolean {
    const entry = this.byId.get(id);
    return entry !== undefined && kinds.includes(entry.request.kind);
  }

  /** A point in the send order: requests added later are "after" it. */
  mark(): number {
    return this.sequence;
  }

  /** Removes and returns every request, in send order, with what it was. */
  takeAll(): { id: number; request: PendingRequest }[] {
    const taken = [...this.byId].map(([id, entry]) => ({ id, request: entry.request }));
    this.byId.clear();
    return taken;
  }

  /** Removes and returns every request added at or before `mark`, in send order. */
  takeSentBy(mark: number): Unanswered[] {
    const taken: Unanswered[] = [];
    for (const [id, entry] of this.byId) {
      if (entry.sequence > mark) continue;
      taken.push({ id, kind: entry.request.kind });
      this.byId.delete(id);
    }
    return taken;
  }
}
