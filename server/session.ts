/**
 * Session: the server's side of one connection, driven by the spec's flow tables.
 *
 * Every received PDU goes through the generated `classify("server", ...)`, which applies
 * protocol.json's globalRules (NEGOTIATION_REQUIRED, header version, sender role, version,
 * rejections) and, when the PDU is acceptable, returns the transitions it may take. The
 * per-type handler below decides only the outcome (e.g. OK or BAD_CREDENTIALS) and the reply's
 * content; the matching transition says which reply type is allowed and which state comes next.
 * So no table of the spec is copied here: a new rule in protocol.json changes behaviour after
 * `make generate`, and a transition with no handler shows up as INTERNAL_ERROR, not silence.
 *
 * Ordering: PDUs are handled strictly in arrival order. Checking a password is async (scrypt),
 * so the channel is paused while a login is verified and PDUs behind it wait their turn.
 *
 * Version 2 (spec §12): a login becomes a Participant in the server-wide registries (session
 * directory, rooms, presence, typing); the v2 handlers decide outcomes from them, and what a
 * transition sends to other sessions (protocol.json `fanOut`) runs right after the reply
 * (REQ-12.7), written to each recipient through its RelayOutbox with its own header version.
 *
 * Lifetime: however the session ends (LOGOUT, EOF, reset, timeout, closing error, shutdown,
 * internal fault), `beginClose` frees the login first, exactly once, then leaves every room (LEFT
 * to the remaining members), announces OFFLINE to presence subscribers and closes the channel.
 *
 * Seams for test variants (see server/README.md): subclass and override `classifyPdu`,
 * `handleChat`, `handleLoginRequest`, ... and pass a `sessionFactory` to the server.
 */
import {
  type Classification,
  classify,
  type DecodeError,
  ERRORS,
  type ErrorCodeName,
  INITIAL_STATE,
  LIMITS,
  MESSAGE_RULES,
  type MessageTypeName,
  type OutcomeName,
  type Pdu,
  type PduOfType,
  type StateName,
  type Transition,
} from "../generated/index.ts";
import type { PduChannel, PeerEndInfo } from "../transport/pdu-channel.ts";
import type { Logger } from "./logger.ts";
import type { LoginRegistry } from "./login-registry.ts";
import { errorPdu, type OutgoingPdu } from "./outgoing-pdu.ts";
import { type Participant, speaks } from "./participant.ts";
import type { PresenceHub } from "./presence-hub.ts";
import { RelayOutbox } from "./relay-outbox.ts";
import type { RoomRegistry } from "./room-registry.ts";
import type { SessionDirectory } from "./session-directory.ts";
import type { Expirable, TimeoutScheduler } from "./timeout-wheel.ts";
import type { TypingTracker } from "./typing-tracker.ts";
import type { Authenticator } from "./user-store.ts";
import {
  directSend,
  presenceSubscribe,
  roomEvent,
  roomJoin,
  roomLeave,
  roomList,
  roomSay,
  typingRelay,
  whoList,
} from "./v2-requests.ts";

/** What a handler decided. `outcome` names a transition of protocol.json for this state and PDU. */
export interface HandlerResult {
  outcome: OutcomeName;
  /** The reply; its type must be the transition's `replies`. Omit it only if you sent it yourself. */
  reply?: OutgoingPdu;
  /** An ERROR to send right behind the reply (and close, if the code closes). */
  followUpError?: { code: ErrorCodeName; detail: string };
  /**
   * The transition's fan-out (protocol.json `fanOut`): what it sends to other sessions, or to
   * several. Runs after the reply and the state change (REQ-12.7), in the same step, so no other
   * PDU is handled in between. Only for a transition whose `fanOut` is not empty.
   */
  fanOut?: () => void;
}

export interface SessionTimers {
  pingIntervalMs: number;
  pingTimeoutMs: number;
  handshakeTimeoutMs: number;
}

/** Everything a session shares with the server. */
export interface SessionContext {
  authenticator: Authenticator;
  logins: LoginRegistry;
  timeouts: TimeoutScheduler;
  logger: Logger;
  timers: SessionTimers;
  /** The versions this server speaks, ascending. */
  supportedVersions: readonly number[];
  /** Who is logged in where (version 2 routing and WHO_REQUEST). */
  directory: SessionDirectory;
  /** Rooms and their members; its `broadcast` is the one room fan-out. */
  rooms: RoomRegistry;
  presence: PresenceHub;
  typing: TypingTracker;
  /** Relayed bytes a backed-up connection may have queued before it is closed (relay-outbox.ts). */
  maxRelayBacklogBytes: number;
  /** The clock the timeouts use (performance.now() milliseconds). */
  now: () => number;
  /** Called once, after the connection has closed. */
  onClosed: (session: Session) => void;
}

/**
 * The protocol versions this Session has handlers for. The server offers the versions the spec
 * defines (SUPPORTED_VERSIONS) that are also listed here, so a version added to the spec is not
 * claimed before the server can serve it: a client offering it simply gets the highest version
 * that is implemented. Add a version here together with the handlers for its message types.
 */
export const IMPLEMENTED_VERSIONS: readonly number[] = [1, 2];

export const LOGIN_TEXTS = {
  OK: "welcome",
  BAD_CREDENTIALS: "unknown user or wrong password",
  ALREADY_LOGGED_IN: "already logged in from another location",
} as const;

export class Session implements Expirable {
  readonly id: number;
  readonly channel: PduChannel;
  protected readonly context: SessionContext;
  protected readonly log: Logger;

  state: StateName = INITIAL_STATE;
  negotiatedVersion: number | null = null;
  /** The user whose login this session holds, if any. */
  user: string | null = null;
  /** This login in the server-wide registries; set once its LOGIN_RESPONSE OK has gone out. */
  participant: Participant | null = null;

  private readonly openedAt: number;
  private lastSeen: number;
  /** True while an async handler (a password check) holds the connection's later PDUs unread. */
  private awaitingHandler = false;
  private failedLogins = 0;
  private closing = false;
  private closeReason: string | undefined;
  private released = false;
  // Set by shutdown(): every session is ending, so nobody is told about this one leaving.
  private quietEnd = false;
  // Created on the first relayed PDU: most sessions never get one (bench/README.md, finding 2).
  private outbox: RelayOutbox | undefined;

  constructor(id: number, channel: PduChannel, context: SessionContext) {
    this.id = id;
    this.channel = channel;
    this.context = context;
    this.log = context.logger.child({ session: id, remote: channel.remoteAddress });
    this.openedAt = context.now();
    this.lastSeen = this.openedAt;
  }

  /** Wires the channel and the timeouts. Call once. */
  start(): void {
    this.log.info("connected");
    this.channel.onPdu((pdu) => this.guard(() => this.receive(pdu)));
    this.channel.onDecodeError((error, fatal) =>
      this.guard(() => this.receiveBadFrame(error, fatal)),
    );
    this.channel.onEnd((info) => this.guard(() => this.receiveEnd(info)));
    this.channel.onFault((error) => this.internalError(error));
    this.channel.onClose((info) => {
      const reason =
        this.closeReason ??
        (info.hadError ? `connection lost: ${info.error?.message ?? "error"}` : "peer closed");
      this.finish(reason);
    });
    this.context.timeouts.track(this);
  }

  get isClosing(): boolean {
    return this.closing;
  }

  /** Sends ERROR SERVER_SHUTDOWN and closes; resolves once the connection is closed. */
  async shutdown(): Promise<void> {
    // Spec §12.6: LEFT and OFFLINE need not be sent when every session is ending.
    this.quietEnd = true;
    if (!this.closing) this.sendError("SERVER_SHUTDOWN", "the server is shutting down");
    await this.channel.closedPromise;
  }

  // --- timeouts (Expirable) ---

  deadline(): number | null {
    if (this.closing) return null;
    const { handshakeTimeoutMs, pingTimeoutMs } = this.context.timers;
    let deadline: number | null = null;
    if (this.state !== "AUTHENTICATED") deadline = this.openedAt + handshakeTimeoutMs;
    if (this.state === "NEGOTIATED" || this.state === "AUTHENTICATED") {
      // While the server itself holds the client's frames unread (a password check), the wait is
      // the server's, not the client's silence (REQ-7.3): the clock starts when reading resumes.
      const seen = this.awaitingHandler ? this.context.now() : this.lastSeen;
      const pingDeadline = seen + pingTimeoutMs;
      deadline = deadline === null ? pingDeadline : Math.min(deadline, pingDeadline);
    }
    return deadline;
  }

  expire(now: number): void {
    this.guard(() => {
      if (this.closing) return;
      const { handshakeTimeoutMs, pingTimeoutMs } = this.context.timers;
      if (this.state !== "AUTHENTICATED" && now >= this.openedAt + handshakeTimeoutMs) {
        this.log.info({ state: this.state, handshakeTimeoutMs }, "handshake timeout");
        this.sendError("HANDSHAKE_TIMEOUT", `not logged in within ${handshakeTimeoutMs} ms`);
      } else {
        this.log.info({ state: this.state, user: this.user, pingTimeoutMs }, "ping timeout");
        this.sendError("PING_TIMEOUT", `nothing received for ${pingTimeoutMs} ms`);
      }
    });
  }

  // --- receiving ---

  private receive(pdu: Pdu): void {
    if (this.closing) return;
    this.touch();
    if (this.log.isLevelEnabled("debug"))
      this.log.debug({ type: pdu.type, version: pdu.version }, "received");
    const verdict = this.classifyPdu(pdu);
    switch (verdict.kind) {
      case "peer-error":
        this.receivePeerError(pdu as PduOfType<"ERROR">);
        return;
      case "reject":
        this.sendError(
          verdict.error,
          `${pdu.type} refused in state ${this.state}: ${ERRORS[verdict.error].doc}`,
        );
        return;
      case "accept":
        this.accept(pdu, verdict.transitions);
        return;
    }
  }

  /** The spec's verdict on a PDU in the current state. Override to break the rules on purpose. */
  protected classifyPdu(pdu: Pdu): Classification {
    return classify("server", this.state, this.negotiatedVersion, {
      version: pdu.version,
      type: pdu.type,
    });
  }

  private accept(pdu: Pdu, transitions: readonly Transition[]): void {
    const state = this.state;
    const result = this.handle(pdu);
    if (!(result instanceof Promise)) {
      this.apply(pdu, state, transitions, result);
      return;
    }
    // Hold every later PDU until this one is done, so replies keep the order of requests.
    this.channel.pause();
    this.awaitingHandler = true;
    result
      .then((settled) =>
        this.guard(() => {
          if (settled !== undefined && !this.closing) this.apply(pdu, state, transitions, settled);
        }),
      )
      .catch((error: unknown) => this.internalError(error))
      .finally(() => {
        this.awaitingHandler = false;
        this.touch();
        if (!this.closing) this.channel.resume();
      });
  }

  private apply(
    pdu: Pdu,
    state: StateName,
    transitions: readonly Transition[],
    result: HandlerResult,
  ): void {
    const transition = transitions.find((candidate) => candidate.outcome === result.outcome);
    if (transition === undefined) {
      throw new Error(`no transition for ${pdu.type} in ${state} with outcome ${result.outcome}`);
    }
    if (result.reply !== undefined) {
      if (result.reply.type !== transition.replies) {
        throw new Error(
          `${pdu.type} in ${state}: replying ${result.reply.type}, the spec says ${transition.replies}`,
        );
      }
      this.send(result.reply);
      if (result.reply.type === "ERROR" && ERRORS[result.reply.code].closes) {
        this.beginClose(`sent ERROR ${result.reply.code}`);
        return;
      }
    }
    if (result.followUpError !== undefined) {
      this.sendError(result.followUpError.code, result.followUpError.detail);
      if (this.closing) return;
    }
    this.enter(transition.next, `${pdu.type} ${result.outcome}`);
    if (result.fanOut !== undefined) {
      if (transition.fanOut.length === 0) {
        throw new Error(`${pdu.type} ${result.outcome} in ${state}: the spec has no fan-out here`);
      }
      if (!this.closing) result.fanOut();
    }
  }

  /** Decides the outcome of an accepted PDU. Async only for login (password check). */
  private handle(pdu: Pdu): HandlerResult | Promise<HandlerResult | undefined> {
    switch (pdu.type) {
      case "VERSION_REQUEST":
        return this.handleVersionRequest(pdu);
      case "LOGIN_REQUEST":
        return this.handleLoginRequest(pdu);
      case "CHAT":
        return this.handleChat(pdu);
      case "PING":
        return this.handlePing(pdu);
      case "LOGOUT":
        return this.handleLogout(pdu);
      case "DIRECT_SEND":
        return this.handleDirectSend(pdu);
      case "ROOM_JOIN":
        return this.handleRoomJoin(pdu);
      case "ROOM_LEAVE":
        return this.handleRoomLeave(pdu);
      case "ROOM_SAY":
        return this.handleRoomSay(pdu);
      case "ROOM_LIST_REQUEST":
        return this.handleRoomListRequest(pdu);
      case "WHO_REQUEST":
        return this.handleWhoRequest(pdu);
      case "TYPING":
        return this.handleTyping(pdu);
      case "PRESENCE_SUBSCRIBE":
        return this.handlePresenceSubscribe(pdu);
      default:
        throw new Error(
          `the spec accepts ${pdu.type} in ${this.state} but the server has no handler`,
        );
    }
  }

  protected handleVersionRequest(pdu: PduOfType<"VERSION_REQUEST">): HandlerResult {
    const offered = new Set(pdu.versions);
    const supported = [...this.context.supportedVersions].sort((a, b) => a - b);
    const common = supported.filter((version) => offered.has(version));
    const { pingIntervalMs, pingTimeoutMs } = this.context.timers;
    const chosen = common.at(-1);
    if (chosen === undefined) {
      this.log.info({ offered: pdu.versions, supported }, "negotiation failed: no common version");
      return {
        outcome: "NO_COMMON_VERSION",
        reply: {
          type: "VERSION_RESPONSE",
          status: "NO_COMMON_VERSION",
          chosenVersion: 0,
          pingIntervalMs,
          pingTimeoutMs,
          supportedVersions: supported,
        },
      };
    }
    this.negotiatedVersion = chosen;
    this.log.info({ version: chosen, offered: pdu.versions }, "negotiated");
    return {
      outcome: "OK",
      reply: {
        type: "VERSION_RESPONSE",
        status: "OK",
        chosenVersion: chosen,
        pingIntervalMs,
        pingTimeoutMs,
        supportedVersions: supported,
      },
    };
  }

  protected async handleLoginRequest(
    pdu: PduOfType<"LOGIN_REQUEST">,
  ): Promise<HandlerResult | undefined> {
    const { username, password } = pdu;
    const valid = await this.context.authenticator.verify(username, password);
    if (this.closing) return undefined;
    if (!valid) {
      this.failedLogins += 1;
      this.log.info(
        { user: username, reason: "BAD_CREDENTIALS", failedLogins: this.failedLogins },
        "login rejected",
      );
      const result: HandlerResult = {
        outcome: "BAD_CREDENTIALS",
        reply: {
          type: "LOGIN_RESPONSE",
          status: "BAD_CREDENTIALS",
          text: LOGIN_TEXTS.BAD_CREDENTIALS,
        },
      };
      if (this.failedLogins >= LIMITS.maxLoginAttempts) {
        result.followUpError = {
          code: "TOO_MANY_LOGIN_ATTEMPTS",
          detail: `${this.failedLogins} failed logins on this connection`,
        };
      }
      return result;
    }
    if (!this.context.logins.acquire(username, this)) {
      this.log.info({ user: username, reason: "ALREADY_LOGGED_IN" }, "login rejected");
      return {
        outcome: "ALREADY_LOGGED_IN",
        reply: {
          type: "LOGIN_RESPONSE",
          status: "ALREADY_LOGGED_IN",
          text: LOGIN_TEXTS.ALREADY_LOGGED_IN,
        },
      };
    }
    this.user = username;
    this.log.info({ user: username }, "login ok");
    return {
      outcome: "OK",
      reply: { type: "LOGIN_RESPONSE", status: "OK", text: `${LOGIN_TEXTS.OK}, ${username}` },
      // Visible to others only once the LOGIN_RESPONSE is out: a DIRECT_MESSAGE must never reach
      // a client that has not yet seen its login succeed.
      fanOut: () => {
        const participant = this.createParticipant(username);
        this.participant = participant;
        this.context.directory.add(participant);
        this.context.presence.announce(participant, "ONLINE");
      },
    };
  }

  protected handleChat(pdu: PduOfType<"CHAT">): HandlerResult {
    return {
      outcome: "OK",
      reply: { type: "CHAT_ECHO", messageId: pdu.messageId, text: pdu.text },
    };
  }

  protected handlePing(pdu: PduOfType<"PING">): HandlerResult {
    return { outcome: "OK", reply: { type: "PONG", token: pdu.token } };
  }

  protected handleLogout(_pdu: PduOfType<"LOGOUT">): HandlerResult {
    this.log.info({ user: this.user }, "logout");
    return { outcome: "OK" };
  }

  // --- version 2 (spec §12): v2-requests.ts decides from the shared registries ---

  protected handleDirectSend(pdu: PduOfType<"DIRECT_SEND">): HandlerResult {
    return directSend(this.me(), pdu, this.context);
  }

  protected handleRoomJoin(pdu: PduOfType<"ROOM_JOIN">): HandlerResult {
    return roomJoin(this.me(), pdu, this.context);
  }

  protected handleRoomLeave(pdu: PduOfType<"ROOM_LEAVE">): HandlerResult {
    return roomLeave(this.me(), pdu, this.context);
  }

  protected handleRoomSay(pdu: PduOfType<"ROOM_SAY">): HandlerResult {
    return roomSay(this.me(), pdu, this.context);
  }

  protected handleRoomListRequest(pdu: PduOfType<"ROOM_LIST_REQUEST">): HandlerResult {
    return roomList(pdu, this.context);
  }

  protected handleWhoRequest(pdu: PduOfType<"WHO_REQUEST">): HandlerResult {
    return whoList(pdu, this.context);
  }

  protected handleTyping(pdu: PduOfType<"TYPING">): HandlerResult {
    return typingRelay(this.me(), pdu, this.context);
  }

  protected handlePresenceSubscribe(pdu: PduOfType<"PRESENCE_SUBSCRIBE">): HandlerResult {
    return presenceSubscribe(this.me(), pdu, this.context);
  }

  /** The participant of this AUTHENTICATED session; classify() routes v2 requests only here. */
  private me(): Participant {
    if (this.participant === null) throw new Error(`no participant in state ${this.state}`);
    return this.participant;
  }

  private createParticipant(user: string): Participant {
    const version = this.negotiatedVersion;
    if (version === null) throw new Error("logged in without a negotiated version");
    const session = this;
    const participant: Participant = {
      user,
      version,
      // A method, not an arrow function: under tsx (esbuild keepNames) a named arrow function
      // gets a `name` property of its own, ~300 bytes per logged-in session (bench/README.md).
      deliver(pdu) {
        session.relay(participant, pdu);
      },
    };
    return participant;
  }

  /** A PDU another session's request or a server event caused, for this session's participant. */
  private relay(participant: Participant, pdu: OutgoingPdu): void {
    // The registries never address a version-1 session with a version-2 PDU; this is the last
    // line of REQ-12.3 should one of them (or a variant) get that wrong.
    if (!speaks(participant, pdu.type)) {
      this.log.error(
        { type: pdu.type, version: participant.version },
        "fan-out of a type this session lacks; not sent",
      );
      return;
    }
    this.relayOutbox().deliver(pdu);
  }

  private relayOutbox(): RelayOutbox {
    if (this.outbox !== undefined) return this.outbox;
    const { maxRelayBacklogBytes } = this.context;
    this.outbox = new RelayOutbox(this.channel, {
      headerVersionFor: (type) => this.headerVersionFor(type),
      maxBacklogBytes: maxRelayBacklogBytes,
      // Deferred: the overflow happens inside someone else's fan-out, and leaving rooms now would
      // send this session's LEFT to some members ahead of the PDU still being fanned out (REQ-12.8).
      onOverflow: (backlogBytes) => {
        this.log.warn(
          { user: this.user, backlogBytes, limit: maxRelayBacklogBytes },
          "slow reader: relayed PDUs backed up past the limit; closing",
        );
        queueMicrotask(() =>
          this.guard(() => this.beginClose(`slow reader: ${backlogBytes} relayed bytes backed up`)),
        );
      },
      onFault: (error) => queueMicrotask(() => this.internalError(error)),
    });
    return this.outbox;
  }

  private receivePeerError(pdu: PduOfType<"ERROR">): void {
    const closes = ERRORS[pdu.code].closes;
    this.log.warn({ code: pdu.code, text: pdu.text, closes }, "peer sent ERROR");
    if (closes) this.beginClose(`peer sent ERROR ${pdu.code}`);
  }

  private receiveBadFrame(error: DecodeError, fatal: boolean): void {
    if (this.closing) return;
    // A whole bad frame is still a frame: the peer is alive (REQ-7.3).
    if (!fatal) this.touch();
    this.log.info(
      { code: error.code, reason: error.reason, offset: error.offset, fatal },
      "bad frame",
    );
    this.sendError(error.code, error.reason);
    if (fatal && !this.closing) this.beginClose(`unframeable input: ${error.code}`);
  }

  private receiveEnd(info: PeerEndInfo): void {
    const reason =
      info.partialFrameBytes > 0
        ? `peer closed mid-frame (${info.partialFrameBytes} bytes discarded)`
        : "peer closed";
    this.beginClose(reason);
  }

  // --- sending and state ---

  /** The header version the spec prescribes for `type` on this connection now (REQ-4.9). */
  protected headerVersionFor(type: MessageTypeName): number {
    switch (MESSAGE_RULES[type].headerVersion) {
      case "zero":
        return 0;
      case "negotiated":
      case "current":
        return this.negotiatedVersion ?? 0;
    }
  }

  protected send(pdu: OutgoingPdu): boolean {
    // Set the version on the reply itself: replies are built fresh for each send, and copying them
    // with a spread costs more than the encoding (bench/README.md, echo profile).
    (pdu as Pdu).version = this.headerVersionFor(pdu.type);
    return this.channel.send(pdu as Pdu);
  }

  /** Sends ERROR `code`, then closes if the spec's error table says the code closes. */
  protected sendError(code: ErrorCodeName, detail: string): void {
    if (this.closing) return;
    const closes = ERRORS[code].closes;
    this.log.info({ code, detail, closes }, "sent ERROR");
    this.send(errorPdu(code, detail));
    if (closes) this.beginClose(`sent ERROR ${code}`);
  }

  private enter(next: StateName, cause: string): void {
    if (next === this.state) return;
    if (next === "CLOSED") {
      this.beginClose(cause);
      return;
    }
    this.state = next;
    // Entering NEGOTIATED brings a ping deadline that may be earlier than the handshake one.
    this.context.timeouts.reschedule(this);
  }

  private touch(): void {
    this.lastSeen = this.context.now();
  }

  /** Frees the login, then closes the connection gracefully (queued replies still go out). */
  protected beginClose(reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.closeReason = reason;
    this.release();
    this.context.timeouts.untrack(this);
    void this.channel.close();
  }

  /**
   * Once, however the session ends: frees the login, then (serverEvents.SESSION_END) leaves every
   * room with LEFT to the remaining members (REQ-12.18) and announces OFFLINE (REQ-12.30).
   */
  private release(): void {
    if (this.released) return;
    this.released = true;
    if (this.user !== null) this.context.logins.release(this.user, this);
    const participant = this.participant;
    if (participant === null) return;
    const { directory, rooms, presence } = this.context;
    directory.remove(participant);
    presence.remove(participant);
    const left = rooms.leaveAll(participant);
    if (this.quietEnd) return;
    for (const room of left) rooms.broadcast(room, roomEvent(room, participant.user, "LEFT"));
    presence.announce(participant, "OFFLINE");
  }

  private finish(reason: string): void {
    this.closing = true;
    this.release();
    this.context.timeouts.untrack(this);
    const user = this.user;
    this.state = "CLOSED";
    this.log.info({ reason, user }, "disconnected");
    this.context.onClosed(this);
  }

  /** Runs one step of session logic; a bug in it costs this connection only (REQ-8.9). */
  private guard(step: () => void): void {
    try {
      step();
    } catch (error) {
      this.internalError(error);
    }
  }

  private internalError(error: unknown): void {
    this.log.error({ err: error }, "internal error");
    try {
      this.sendError("INTERNAL_ERROR", "internal server error");
      this.beginClose("internal error");
    } catch {
      this.closing = true;
      this.channel.destroy();
    }
  }
}
