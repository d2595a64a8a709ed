/**
 * Session: the engine of one connection on the server, driven by the spec's flow tables.
 *
 * Every received PDU goes through the generated `classify("server", ...)` (SharedState.classify),
 * which applies protocol.json's globalRules (NEGOTIATION_REQUIRED, header version, sender role,
 * version, rejections) and, when the PDU is acceptable, returns the transitions it may take. The
 * handler for its type (handlers/, one file per message type) decides only the outcome (e.g. OK
 * or BAD_CREDENTIALS) and the reply's content; the matching transition says which reply type is
 * allowed and which state comes next. So no table of the spec is copied here: a new rule in
 * protocol.json changes behaviour after `make generate`, a new message type without a handler
 * fails `tsc`, and an outcome with no transition shows up as INTERNAL_ERROR, not silence.
 *
 * Ordering: PDUs are handled strictly in arrival order. A handler that returns a Promise (the
 * login's password check and lease; any handler whose shared state is remote) pauses the channel
 * until it settles, so PDUs behind it wait their turn.
 *
 * Lifetime (`Lifetime`): Open, Waiting while an async handler holds the connection's later PDUs,
 * Closing, Closed. However the session ends (LOGOUT, EOF, reset, timeout, closing error,
 * shutdown, internal fault), entering Closing frees the login first, exactly once, then leaves
 * every room (LEFT to the remaining members), announces OFFLINE to presence subscribers and
 * closes the channel.
 */
import {
  type DecodeError,
  ERRORS,
  type ErrorCodeName,
  INITIAL_STATE,
  type MessageTypeName,
  type Pdu,
  type StateName,
  type Transition,
} from "../generated/index.ts";
import type { PduChannel, PeerEndInfo } from "../transport/pdu-channel.ts";
import { withHeaderVersion } from "./header-version.ts";
import type { Logger } from "./logger.ts";
import type { LoginLease } from "./login-registry.ts";
import { errorPdu, type OutgoingPdu, roomEvent } from "./outgoing-pdu.ts";
import type { Participant } from "./participant.ts";
import type {
  Handled,
  HandlerContext,
  HandlerResult,
  ServerHandlerTable,
  SharedState,
} from "./session-context.ts";
import { type ParticipantOwner, SessionParticipant } from "./session-participant.ts";
import type { Expirable } from "./timeout-wheel.ts";

export enum Lifetime {
  /** Handling PDUs as they arrive. */
  Open = 0,
  /** An async handler holds the connection's later PDUs unread until it settles. */
  Waiting = 1,
  /** Ending: the login is freed, the channel is closing; nothing more is handled. */
  Closing = 2,
  /** The connection has closed. */
  Closed = 3,
}

type AnyHandler = (pdu: Pdu, session: HandlerContext) => Handled;

export class Session implements Expirable, HandlerContext, ParticipantOwner {
  readonly id: number;
  readonly channel: PduChannel;
  readonly shared: SharedState;
  readonly log: Logger;

  state: StateName = INITIAL_STATE;
  lifetime: Lifetime = Lifetime.Open;
  negotiatedVersion: number | null = null;
  user: string | null = null;
  failedLogins = 0;
  /** This login in the server-wide registries; set once its LOGIN_RESPONSE OK has gone out. */
  participant: Participant | null = null;

  private readonly onClosed: (session: Session) => void;
  private readonly openedAt: number;
  private lastSeen: number;
  private lease: LoginLease | null = null;
  private closeReason: string | undefined;

  constructor(
    id: number,
    channel: PduChannel,
    shared: SharedState,
    onClosed: (session: Session) => void,
  ) {
    this.id = id;
    this.channel = channel;
    this.shared = shared;
    this.onClosed = onClosed;
    this.log = shared.logger.child({ session: id, remote: channel.remoteAddress });
    this.openedAt = shared.now();
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
    this.shared.timeouts.track(this);
  }

  get isClosing(): boolean {
    return this.lifetime >= Lifetime.Closing;
  }

  /** Sends ERROR SERVER_SHUTDOWN and closes; resolves once the connection is closed. */
  async shutdown(): Promise<void> {
    // Spec §12.6: LEFT and OFFLINE need not be sent when every session is ending.
    this.sendError("SERVER_SHUTDOWN", "the server is shutting down", { quiet: true });
    await this.channel.closedPromise;
  }

  // --- timeouts (Expirable) ---

  deadline(): number | null {
    if (this.isClosing) return null;
    const { handshakeTimeoutMs, pingTimeoutMs } = this.shared.timers;
    let deadline: number | null = null;
    if (this.state !== "AUTHENTICATED") deadline = this.openedAt + handshakeTimeoutMs;
    if (this.state === "NEGOTIATED" || this.state === "AUTHENTICATED") {
      // While the server itself holds the client's frames unread (a password check), the wait is
      // the server's, not the client's silence (REQ-7.3): the clock starts when reading resumes.
      const seen = this.lifetime === Lifetime.Waiting ? this.shared.now() : this.lastSeen;
      const pingDeadline = seen + pingTimeoutMs;
      deadline = deadline === null ? pingDeadline : Math.min(deadline, pingDeadline);
    }
    return deadline;
  }

  expire(now: number): void {
    this.guard(() => {
      if (this.isClosing) return;
      const { handshakeTimeoutMs, pingTimeoutMs } = this.shared.timers;
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
    if (this.isClosing) return;
    this.touch();
    if (this.log.isLevelEnabled("debug"))
      this.log.debug({ type: pdu.type, version: pdu.version }, "received");
    const verdict = this.shared.classify(this.state, this.negotiatedVersion, pdu);
    switch (verdict.kind) {
      case "peer-error":
        // The ERROR handler answers nothing: there is no transition for an ERROR.
        if (handlerFor(this.shared.handlers, pdu.type)(pdu, this) !== undefined) {
          throw new Error("the ERROR handler returned a result; an ERROR has no transition");
        }
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

  private accept(pdu: Pdu, transitions: readonly Transition[]): void {
    const state = this.state;
    const result = handlerFor(this.shared.handlers, pdu.type)(pdu, this);
    if (result === undefined) return;
    if (!(result instanceof Promise)) {
      this.apply(pdu, state, transitions, result);
      return;
    }
    // Hold every later PDU until this one is done, so replies keep the order of requests.
    this.channel.pause();
    this.lifetime = Lifetime.Waiting;
    result
      .then((settled) =>
        this.guard(() => {
          if (settled !== undefined && !this.isClosing)
            this.apply(pdu, state, transitions, settled);
        }),
      )
      .catch((error: unknown) => this.internalError(error))
      .finally(() => {
        this.touch();
        if (this.lifetime !== Lifetime.Waiting) return;
        this.lifetime = Lifetime.Open;
        this.channel.resume();
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
      if (this.isClosing) return;
    }
    this.enter(transition.next, `${pdu.type} ${result.outcome}`);
    if (result.fanOut !== undefined) {
      if (transition.fanOut.length === 0) {
        throw new Error(`${pdu.type} ${result.outcome} in ${state}: the spec has no fan-out here`);
      }
      if (!this.isClosing) result.fanOut();
    }
  }

  private receiveBadFrame(error: DecodeError, fatal: boolean): void {
    if (this.isClosing) return;
    // A whole bad frame is still a frame: the peer is alive (REQ-7.3).
    if (!fatal) this.touch();
    this.log.info(
      { code: error.code, reason: error.reason, offset: error.offset, fatal },
      "bad frame",
    );
    this.sendError(error.code, error.reason);
    if (fatal) this.beginClose(`unframeable input: ${error.code}`);
  }

  private receiveEnd(info: PeerEndInfo): void {
    const reason =
      info.partialFrameBytes > 0
        ? `peer closed mid-frame (${info.partialFrameBytes} bytes discarded)`
        : "peer closed";
    this.beginClose(reason);
  }

  // --- what handlers use (HandlerContext) ---

  me(): Participant {
    if (this.participant === null) throw new Error(`no participant in state ${this.state}`);
    return this.participant;
  }

  holdLogin(lease: LoginLease): void {
    this.lease = lease;
    this.user = lease.user;
  }

  becomeParticipant(): void {
    const version = this.negotiatedVersion;
    if (this.user === null || version === null) throw new Error("no login to take part with");
    const participant = new SessionParticipant(
      this.user,
      version,
      this,
      this.shared.maxRelayBacklogBytes,
    );
    this.participant = participant;
    this.shared.directory.add(participant);
    this.shared.presence.announce(participant, "ONLINE");
  }

  send(pdu: OutgoingPdu): boolean {
    return this.channel.send(withHeaderVersion(pdu, this.negotiatedVersion));
  }

  sendError(code: ErrorCodeName, detail: string, how: { quiet?: boolean } = {}): void {
    if (this.isClosing) return;
    const closes = ERRORS[code].closes;
    this.log.info({ code, detail, closes }, "sent ERROR");
    this.send(errorPdu(code, detail));
    if (closes) this.beginClose(`sent ERROR ${code}`, how);
  }

  beginClose(reason: string, how: { quiet?: boolean } = {}): void {
    if (!this.enterClosing(reason, how.quiet === true)) return;
    this.shared.timeouts.untrack(this);
    void this.channel.close();
  }

  // --- what the participant reports (ParticipantOwner) ---

  relayOverflowed(backlogBytes: number): void {
    this.log.warn(
      { user: this.user, backlogBytes, limit: this.shared.maxRelayBacklogBytes },
      "slow reader: relayed PDUs backed up past the limit; closing",
    );
    // Deferred: the overflow happens inside someone else's fan-out, and leaving rooms now would
    // send this session's LEFT to some members ahead of the PDU still being fanned out (REQ-12.8).
    queueMicrotask(() =>
      this.guard(() => this.beginClose(`slow reader: ${backlogBytes} relayed bytes backed up`)),
    );
  }

  relayFailed(error: unknown): void {
    queueMicrotask(() => this.internalError(error));
  }

  // --- state and lifetime ---

  private enter(next: StateName, cause: string): void {
    if (next === this.state) return;
    if (next === "CLOSED") {
      this.beginClose(cause);
      return;
    }
    this.state = next;
    // Entering NEGOTIATED brings a ping deadline that may be earlier than the handshake one.
    this.shared.timeouts.reschedule(this);
  }

  private touch(): void {
    this.lastSeen = this.shared.now();
  }

  /** The one way into Closing; false if already there. Frees the login exactly once. */
  private enterClosing(reason: string, quiet: boolean): boolean {
    if (this.isClosing) return false;
    this.lifetime = Lifetime.Closing;
    this.closeReason ??= reason;
    this.release(quiet);
    return true;
  }

  /**
   * Frees the login, then (serverEvents.SESSION_END) leaves every room with LEFT to the
   * remaining members (REQ-12.18) and announces OFFLINE (REQ-12.30), unless `quiet` (shutdown).
   */
  private release(quiet: boolean): void {
    const lease = this.lease;
    this.lease = null;
    if (lease !== null) {
      Promise.resolve()
        .then(() => lease.release())
        .catch((error: unknown) => this.log.error({ err: error }, "login release failed"));
    }
    const participant = this.participant;
    if (participant === null) return;
    const { directory, rooms, presence } = this.shared;
    directory.remove(participant);
    presence.remove(participant);
    const left = rooms.leaveAll(participant);
    if (quiet) return;
    for (const room of left) rooms.broadcast(room, roomEvent(room, participant.user, "LEFT"));
    presence.announce(participant, "OFFLINE");
  }

  private finish(reason: string): void {
    this.enterClosing(reason, false);
    this.shared.timeouts.untrack(this);
    this.lifetime = Lifetime.Closed;
    this.state = "CLOSED";
    this.log.info({ reason: this.closeReason ?? reason, user: this.user }, "disconnected");
    this.onClosed(this);
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
      try {
        this.enterClosing("internal error", false);
      } finally {
        this.channel.destroy();
      }
    }
  }
}

/** The handler of an accepted type; classify() accepts only types the server receives. */
function handlerFor(table: ServerHandlerTable, type: MessageTypeName): AnyHandler {
  const handler = (table as Partial<Record<MessageTypeName, AnyHandler>>)[type];
  if (handler === undefined)
    throw new Error(`the spec lets the server receive ${type}: no handler`);
  return handler;
}
