/**
 * The requests a session has sent and the server has not answered yet, by id, so each answer can
 * be matched to what it answers (a DIRECT_STATUS carries only an id) and so logging out can wait
 * until nothing is outstanding.
 *
 * Every entry also records when it was sent relative to the logout barrier's PINGs (`mark()`):
 * the server handles a connection's frames in order (REQ-2.9), so once the PONG of a PING comes
 * back, whatever was sent before that PING and is still here will never be answered.
 */

export type PendingRequest =
  | { kind: "CHAT" }
  | { kind: "DIRECT_SEND"; to: string }
  | { kind: "ROOM_JOIN" | "ROOM_LEAVE" | "ROOM_SAY"; room: string }
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

  /** Whether `id` is outstanding as one of `kinds`, without taking it. */
  has(id: number, kinds: readonly RequestKind[]): boolean {
    const entry = this.byId.get(id);
    return entry !== undefined && kinds.includes(entry.request.kind);
  }

  /** A point in the send order: requests added later are "after" it. */
  mark(): number {
    return this.sequence;
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
