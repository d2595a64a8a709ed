/**
 * What a handler (one per message type the client receives, see client-handlers.ts) may do to
 * its session. ClientSession implements SessionCore; handlers never see the channel, the timers
 * or the waiters, only these verbs.
 */
import type {
  ErrorCodeName,
  LoginResponsePdu,
  MessageTypeName,
  StateName,
} from "../../generated/index.ts";
import type { ChatRequests } from "../chat-requests.ts";
import type { ClientFailure } from "../client-failure.ts";
import type { EventOutlet } from "../event-outlet.ts";
import type { Negotiated } from "../negotiated.ts";
import type { SeenMessages } from "../seen-messages.ts";

export interface SessionCore {
  readonly requests: ChatRequests;
  /** The versions this client offered in its VERSION_REQUEST. */
  readonly offeredVersions: readonly number[];
  /** The username logged in with; ROOM_MESSAGEs from it answer this session's ROOM_SAYs. */
  readonly username: string | undefined;
  /** Version-3 messages already shown, by conversation and id: a second copy is dropped. */
  readonly seen: SeenMessages;
  /** Where answers, news and notices for the user interface go. */
  readonly events: EventOutlet;
  /** Whether the negotiated version has this message type. */
  supports(type: MessageTypeName): boolean;
  /** The protocol state moves on (the accepted transition's `next`). */
  enter(state: StateName): void;
  /** VERSION_RESPONSE OK with an offered version: the waiting negotiate() resolves. */
  agreed(negotiated: Negotiated): void;
  /** Hands the answer to the waiting login(); false if no login was waiting for one. */
  loginAnswered(pdu: LoginResponsePdu): boolean;
  /** SESSION_INFO said this many stored direct messages follow (spec §15.5). */
  storedDirectMessagesFollow(count: number): void;
  /** Whether the direct message arriving now is one of those (and counts it). */
  nextDirectMessageIsStored(): boolean;
  /** A PONG with this token arrived. */
  pong(token: number): void;
  /** An outstanding request was answered (and taken from `requests.pending`). */
  answered(): void;
  /** The server broke the protocol: tell it with ERROR `code`, and close if the code closes. */
  refuse(code: ErrorCodeName, detail: string, mustClose?: boolean): void;
  /** The session is over, for this reason. */
  end(failure: ClientFailure): void;
}

export interface ReceiveContext {
  readonly session: SessionCore;
  /** The state the accepted transition leads to (the current state for an ERROR). */
  readonly next: StateName;
}
