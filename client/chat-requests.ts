/**
 * ChatRequests: what a logged-in session sends (CHAT and the version-2 requests), and the record
 * of what is outstanding that the answers (handlers/) are matched against.
 *
 * Every request gets an id from one counter (message ids and request ids alike), so an answer's
 * id names exactly one outstanding request and the event can say what it answers (a DIRECT_STATUS
 * carries only an id; the event names the recipient). A ROOM_SAY has no answer of its own: the
 * ROOM_MESSAGE the server sends every member, its sender included (REQ-12.16), is its answer. A
 * list longer than one page is asked for page by page (handlers/lists.ts) and reported once, whole.
 *
 * The connection, its state and the logout barrier are ClientSession's; this class reaches them
 * only through a RequestLink.
 */
import {
  type HistoryAnchorName,
  LIMITS,
  type MessageTypeName,
  type Pdu,
  type PresenceModeName,
  type TargetKindName,
} from "../generated/index.ts";
import { type HistoryPurpose, type PendingRequest, PendingRequests } from "./pending-requests.ts";
import type { MessageId } from "./seen-messages.ts";
import type { HistoryMessage } from "./session-event.ts";
import type { TypingSignal } from "./typing-sender.ts";

// Message ids and request ids are u4 on the wire; after the last one they start again at 1
// (request id 0 means "a TYPING" in ROOM_RESULT, so no request uses it).
const MAX_U32 = 0xffff_ffff;
// A list longer than this is shown cut short rather than paged on: a server reporting a huge
// total must not make the client collect names without end.
export const MAX_LISTED_NAMES = 10_000;

/** What a send method returns: the id it used, and false in `accepted` when it is time to wait. */
export interface SendResult {
  id: number;
  /** False when the connection wants a drain: await `writable()` before sending more. */
  accepted: boolean;
}

/** The session's side, as ChatRequests needs it. */
export interface RequestLink {
  /**
   * The header version for a PDU of `type`, if one may be sent now. Throws otherwise: the
   * session's failure if it has ended, a bug (Error) if the caller ignored `supports()`.
   */
  sendable(type: MessageTypeName): number;
  send(pdu: Pdu): boolean;
  /** Whether the negotiated version has this message type. */
  supports(type: MessageTypeName): boolean;
  /** Whether the next page of a list may still be asked for (the session is not ending). */
  mayFollowUp(): boolean;
}

export class ChatRequests {
  readonly pending = new PendingRequests();
  /**
   * The max_page of the session's SESSION_INFO (version 3), the spec's maximum until it comes: no
   * HISTORY_REQUEST asks for more items than the server said one page carries (REQ-15.27).
   */
  maxHistoryPage: number = LIMITS.maxHistoryPage;
  private nextId = 1;

  constructor(private readonly link: RequestLink) {}

  /** Sends one CHAT; its CHAT_ECHO comes back as an "echo" event. */
  chat(text: string): SendResult {
    const version = this.link.sendable("CHAT");
    return this.request({ kind: "CHAT" }, (messageId) => ({
      type: "CHAT",
      version,
      messageId,
      text,
    }));
  }

  /**
   * DIRECT_SEND, or on version 3 DIRECT_SEND_V3 (stored for a recipient who is away, spec
   * §15.5); answered by a "direct-status" event naming `to`.
   */
  directSend(to: string, text: string): SendResult {
    if (this.link.supports("DIRECT_SEND_V3")) {
      const version = this.link.sendable("DIRECT_SEND_V3");
      return this.request({ kind: "DIRECT_SEND", to }, (messageId) => ({
        type: "DIRECT_SEND_V3",
        version,
        messageId,
        to,
        text,
      }));
    }
    const version = this.link.sendable("DIRECT_SEND");
    return this.request({ kind: "DIRECT_SEND", to }, (messageId) => ({
      type: "DIRECT_SEND",
      version,
      messageId,
      to,
      text,
    }));
  }

  /** ROOM_JOIN; answered by a "room-result" event. */
  joinRoom(room: string): SendResult {
    const version = this.link.sendable("ROOM_JOIN");
    return this.request({ kind: "ROOM_JOIN", room }, (requestId) => ({
      type: "ROOM_JOIN",
      version,
      requestId,
      room,
    }));
  }

  /**
   * ROOM_RESUME (version 3): joins the room as ROOM_JOIN does and has the server replay what came
   * after `from`, the last id seen there; answered by a "room-result" event, then, when it is
   * OK, one "history" event (purpose "resume") with every page of the replay.
   */
  resumeRoom(room: string, from: MessageId): SendResult {
    const version = this.link.sendable("ROOM_RESUME");
    return this.request({ kind: "ROOM_RESUME", room, from }, (requestId) => ({
      type: "ROOM_RESUME",
      version,
      requestId,
      room,
      epoch: from.epoch,
      seq: from.seq,
    }));
  }

  /**
   * HISTORY_REQUEST (version 3): one page of a room's history (`targetKind` ROOM) or of the
   * direct conversation with a user (USER), the newest `limit` (LATEST) or those before or after
   * an id; answered by one "history" event (purpose "history").
   */
  history(
    targetKind: TargetKindName,
    target: string,
    limit: number,
    anchor: { anchor: HistoryAnchorName; from: MessageId } = {
      anchor: "LATEST",
      from: { epoch: 0, seq: 0 },
    },
  ): SendResult {
    return this.requestHistoryPage("history", targetKind, target, anchor, limit, [], false);
  }

  /** Asks for a page of history for `purpose`, carrying what earlier pages collected. */
  requestHistoryPage(
    purpose: HistoryPurpose,
    targetKind: TargetKindName,
    target: string,
    { anchor, from }: { anchor: HistoryAnchorName; from: MessageId },
    limit: number,
    collected: HistoryMessage[],
    gap: boolean,
  ): SendResult {
    const version = this.link.sendable("HISTORY_REQUEST");
    const request: PendingRequest = {
      kind: "HISTORY_REQUEST",
      purpose,
      targetKind,
      target,
      anchorEpoch: from.epoch,
      collected,
      gap,
    };
    return this.request(request, (requestId) => ({
      type: "HISTORY_REQUEST",
      version,
      requestId,
      targetKind,
      target,
      anchor,
      epoch: from.epoch,
      seq: from.seq,
      limit: Math.min(limit, this.maxHistoryPage),
    }));
  }

  /** ROOM_LEAVE; answered by a "room-result" event. */
  leaveRoom(room: string): SendResult {
    const version = this.link.sendable("ROOM_LEAVE");
    return this.request({ kind: "ROOM_LEAVE", room }, (requestId) => ({
      type: "ROOM_LEAVE",
      version,
      requestId,
      room,
    }));
  }

  /** ROOM_SAY; answered by its own "room-message" event, or a "room-result" refusal. */
  say(room: string, text: string): SendResult {
    const version = this.link.sendable("ROOM_SAY");
    return this.request({ kind: "ROOM_SAY", room }, (messageId) => ({
      type: "ROOM_SAY",
      version,
      messageId,
      room,
      text,
    }));
  }

  /** Asks for every room, page by page; answered by one "room-list" event. */
  listRooms(): SendResult {
    return this.requestRoomPage([]);
  }

  /** Asks who is online ("") or in a room, page by page; answered by one "who-list" event. */
  who(room: string): SendResult {
    return this.requestWhoPage(room, []);
  }

  /**
   * Sends one TYPING. No answer unless refused, so nothing is outstanding; callers pace these
   * through a TypingSender, since the server refuses TYPINGs that come too fast.
   */
  typing(signal: TypingSignal): boolean {
    const version = this.link.sendable("TYPING");
    return this.link.send({
      type: "TYPING",
      version,
      targetKind: signal.target.kind,
      target: signal.target.name,
      state: signal.state,
    });
  }

  /** PRESENCE_SUBSCRIBE; the server never answers it (REQ-12.32). */
  presence(enabled: PresenceModeName): boolean {
    const version = this.link.sendable("PRESENCE_SUBSCRIBE");
    return this.link.send({ type: "PRESENCE_SUBSCRIBE", version, enabled });
  }

  private request(request: PendingRequest, pdu: (id: number) => Pdu): SendResult {
    const id = this.nextId;
    this.nextId = id === MAX_U32 ? 1 : id + 1;
    const accepted = this.link.send(pdu(id));
    this.pending.add(id, request);
    return { id, accepted };
  }

  /** Asks for the page of the room list after the `collected` names. */
  requestRoomPage(collected: string[]): SendResult {
    const version = this.link.sendable("ROOM_LIST_REQUEST");
    return this.request({ kind: "ROOM_LIST_REQUEST", collected }, (requestId) => ({
      type: "ROOM_LIST_REQUEST",
      version,
      requestId,
      offset: collected.length,
    }));
  }

  /** Asks for the page of a who list after the `collected` names. */
  requestWhoPage(room: string, collected: string[]): SendResult {
    const version = this.link.sendable("WHO_REQUEST");
    return this.request({ kind: "WHO_REQUEST", room, collected }, (requestId) => ({
      type: "WHO_REQUEST",
      version,
      requestId,
      room,
      offset: collected.length,
    }));
  }

  /** Whether a follow-up request (the next page of something) may still be sent. */
  canFollowUp(): boolean {
    return this.link.mayFollowUp();
  }

  /**
   * Another page is wanted while the server says there are more names, the last page was not
   * empty (an empty one means the list shrank under us), the cap is not reached, and the
   * session can still send.
   */
  wantsNextPage(pageLength: number, collected: number, total: number): boolean {
    return (
      pageLength > 0 && collected < total && collected < MAX_LISTED_NAMES && this.link.mayFollowUp()
    );
  }
}
