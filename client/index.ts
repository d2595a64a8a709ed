/**
 * The Parrot client library (package entry "parrot-chat/client"): connect to a server, negotiate,
 * log in, send requests and receive what the server sends as events. See client/README.md for a
 * bot written on it. Nothing here reads a terminal or exits a process; the `parrot client`
 * command (cli/client/) is one program built on it.
 */
export type { SendResult } from "./chat-requests.ts";
export { ClientFailure, type FailureReason } from "./client-failure.ts";
export { ClientSession } from "./client-session.ts";
export type { Clock } from "./clock.ts";
export { type ConnectTarget, connectSession } from "./connect-session.ts";
export { PING_EARLY_FACTOR } from "./keep-alive.ts";
export type { Negotiated } from "./negotiated.ts";
export type { Unanswered } from "./pending-requests.ts";
export { type Backoff, backoffDelay, DEFAULT_BACKOFF } from "./reconnect-backoff.ts";
export {
  ReconnectingSession,
  type ReconnectNews,
  type ReconnectOptions,
} from "./reconnecting-session.ts";
export { type MessageId, SeenMessages } from "./seen-messages.ts";
export type { HistoryMessage, ServerStamp, SessionEvent } from "./session-event.ts";
export { TypingSender, type TypingSignal, type TypingTarget } from "./typing-sender.ts";
