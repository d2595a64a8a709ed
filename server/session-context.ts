/**
 * What a Session works with, apart from the session itself: the server-wide collaborators
 * (SharedState, one per server), and the view of one connection that the per-message handlers
 * get (HandlerContext). Kept apart from session.ts so that handlers/ and session.ts both import
 * these types and neither imports the other's file back (no import cycle).
 */

import type {
  Classification,
  ErrorCodeName,
  MessageTypeName,
  OutcomeName,
  ServerHandlers,
  StateName,
} from "../generated/index.ts";
import type { Awaitable } from "./awaitable.ts";
import type { FanOutBus } from "./fan-out-bus.ts";
import type { HistoryContext } from "./history/history-context.ts";
import type { Logger } from "./logger.ts";
import type { LoginLease, LoginRegistry } from "./login-registry.ts";
import type { OutgoingPdu } from "./outgoing-pdu.ts";
import type { Participant } from "./participant.ts";
import type { Presence } from "./presence-hub.ts";
import type { Rooms } from "./room-registry.ts";
import type { ServerMetrics } from "./server-metrics.ts";
import type { Directory } from "./session-directory.ts";
import type { TimeoutScheduler } from "./timeout-wheel.ts";
import type { TypingTracker } from "./typing-tracker.ts";
import type { Authenticator } from "./user-store.ts";

/** What a handler decided. `outcome` names a transition of protocol.json for this state and PDU. */
export interface HandlerResult {
  outcome: OutcomeName;
  /** The reply; its type must be the transition's `replies`. Omit it only if you sent it yourself. */
  reply?: OutgoingPdu;
  /** An ERROR to send right behind the reply (and close, if the code closes). */
  followUpError?: { code: ErrorCodeName; detail: string };
  /**
   * The transition's fan-out (protocol.json `fanOut`): what it sends to other sessions, or to
   * several. Runs after the reply and the state change (REQ-12.7), in the same step: no other
   * PDU of this connection is handled until it is done, also when it returns a Promise (a
   * remote bus). Only for a transition whose `fanOut` is not empty.
   */
  fanOut?: () => Awaitable<unknown>;
}

/**
 * What a handler returns: a result now, a result later (the connection's later PDUs wait for
 * it), or nothing when there is no transition to take (an ERROR from the peer, or a session that
 * ended while the handler waited).
 */
export type Handled = HandlerResult | Promise<HandlerResult | undefined> | undefined;

/** The spec's verdict on one received PDU; the generated `classify` for the server role. */
export type ServerClassifier = (
  state: StateName,
  negotiatedVersion: number | null,
  header: { version: number; type: MessageTypeName },
) => Classification;

export interface SessionTimers {
  pingIntervalMs: number;
  pingTimeoutMs: number;
  handshakeTimeoutMs: number;
}

/**
 * The version-2 shared state handlers read and change. Each may answer later (a cluster's
 * network store); handlers go on with `whenReady` (awaitable.ts).
 */
export interface Registries {
  /** Who is logged in where (version 2 routing and WHO_REQUEST). */
  directory: Directory;
  /** Rooms and their members; its `broadcast` is the one room fan-out. */
  rooms: Rooms;
  presence: Presence;
  typing: TypingTracker;
  /** Every fan-out goes out here: publish a PDU to an audience. */
  bus: FanOutBus;
}

/** Everything a session shares with the server (one object per server). */
export interface SharedState extends Registries {
  authenticator: Authenticator;
  metrics: ServerMetrics;
  logins: LoginRegistry;
  timeouts: TimeoutScheduler;
  logger: Logger;
  timers: SessionTimers;
  /** The versions this server speaks, ascending. */
  supportedVersions: readonly number[];
  /** One handler per message type the server receives (handlers/index.ts, or a variant's). */
  handlers: ServerHandlerTable;
  classify: ServerClassifier;
  /**
   * (v3) The message store, the advertised page size, the lanes and the wall clock; undefined when
   * the server does not offer version 3, which then keeps no history at all (as before it).
   */
  history: HistoryContext | undefined;
  /** Relayed bytes a backed-up connection may have queued before it is closed (relay-outbox.ts). */
  maxRelayBacklogBytes: number;
  /** The clock the timeouts use (performance.now() milliseconds). */
  now: () => number;
}

/** The one connection a handler runs for, as the handler sees it. Session implements it. */
export interface HandlerContext {
  readonly id: number;
  readonly shared: SharedState;
  readonly log: Logger;
  /** "host:port" of the peer (for logs and the login throttle's per-address count). */
  readonly remoteAddress: string;
  readonly state: StateName;
  /** Null until VERSION_REQUEST OK; the version-request handler sets it. */
  negotiatedVersion: number | null;
  /** The user whose login this session holds, if any. */
  readonly user: string | null;
  /** Failed LOGIN_REQUESTs on this connection so far (REQ-5.8). */
  failedLogins: number;
  /** True once the session is ending: an async handler checks it before deciding. */
  readonly isClosing: boolean;
  /** The participant of this AUTHENTICATED session; classify() routes v2 requests only there. */
  me(): Participant;
  /** Records the login this session now holds; the participant appears when the reply is out. */
  holdLogin(lease: LoginLease): void;
  /** Makes the logged-in user visible to the others (directory, presence ONLINE). */
  becomeParticipant(): Awaitable<unknown>;
  /** Sends with the header version the spec prescribes. */
  send(pdu: OutgoingPdu): boolean;
  /** Sends ERROR `code`, then closes if the spec's error table says the code closes. */
  sendError(code: ErrorCodeName, detail: string): void;
  /** Frees the login, then closes the connection gracefully (queued replies still go out). */
  beginClose(reason: string): void;
}

/** The handler table, checked by the compiler: one entry per type the server receives. */
export type ServerHandlerTable = ServerHandlers<HandlerContext, Handled>;
