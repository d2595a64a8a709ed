/**
 * Session: the engine of one connection on the server, driven by the spec's flow tables.
 *
 * Every received PDU goes through the generated `classify("server", ...)` (protocol.json
 * globalRules: negotiation, header version, sender role, version, rejections), which returns the
 * transitions an acceptable PDU may take. The handler for its type (handlers/, one file each)
 * decides only the outcome and the reply's content; the matching transition says which reply
 * type is allowed and which state comes next. No table of the spec is copied here: a new message
 * type without a handler fails `tsc`, an outcome with no transition is INTERNAL_ERROR.
 *
 * Ordering: PDUs are handled strictly in arrival order. A handler or fan-out that returns a
 * Promise (the login's password check and lease; remote shared state) pauses the channel until
 * it settles, so PDUs behind it wait their turn (arrival-hold.ts).
 *
 * Lifetime (session-lifetime.ts): Open, Waiting, Closing, Closed. However the session ends,
 * entering Closing ends the login exactly once: it leaves every room (LEFT to the remaining
 * members), announces OFFLINE, frees the login (REQ-12.39) and closes the channel (participation.ts).
 */
import {
  type DecodeError,
  ERRORS,
  type ErrorCodeName,
  INITIAL_STATE,
  type Pdu,
  type StateName,
  type Transition,
} from "../generated/index.ts";
import type { PduChannel, PeerEndInfo } from "../transport/pdu-channel.ts";
import { holdWhile } from "./arrival-hold.ts";
import { type Awaitable, whenReady } from "./awaitable.ts";
import { checkedTransition } from "./checked-transition.ts";
import { handlerFor } from "./handlers/index.ts";
import { withHeaderVersion } from "./header-version.ts";
import type { Logger } from "./logger.ts";
import type { LoginLease } from "./login-registry.ts";
import { errorPdu, type OutgoingPdu } from "./outgoing-pdu.ts";
import type { Participant } from "./participant.ts";
import { endLogin, takePart } from "./participation.ts";
import type { HandlerContext, HandlerResult, SharedState } from "./session-context.ts";
import { sessionDeadline } from "./session-deadline.ts";
import { type ExpiringSession, expireSession } from "./session-expiry.ts";
import { Lifetime } from "./session-lifetime.ts";
import { type ParticipantOwner, SessionParticipant } from "./session-participant.ts";
import { StoreUnavailable } from "./store-unavailable.ts";

export class Session implements ExpiringSession, HandlerContext, ParticipantOwner {
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
  readonly openedAt: number;
  /** When the last frame arrived (performance.now() milliseconds). */
  lastSeen: number;
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

  get waiting(): boolean {
    return this.lifetime === Lifetime.Waiting;
  }

  get isClosing(): boolean {
    return this.lifetime >= Lifetime.Closing;
  }

  get remoteAddress(): string {
    return this.channel.remoteAddress;
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
    return sessionDeadline(this, this.shared.timers, this.shared.now());
  }

  expire(now: number): void {
    expireSession(this, now);
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
        if (handlerFor(this.shared.handlers, pdu)(pdu, this) !== undefined) {
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
    const result = handlerFor(this.shared.handlers, pdu)(pdu, this);
    if (result === undefined) return;
    if (!(result instanceof Promise)) {
      holdWhile(this, this.apply(pdu, state, transitions, result));
      return;
    }
    holdWhile(
      this,
      result.then((settled) =>
        settled !== undefined && !this.isClosing
          ? this.apply(pdu, state, transitions, settled)
          : undefined,
      ),
    );
  }

  private apply(
    pdu: Pdu,
    state: StateName,
    transitions: readonly Transition[],
    result: HandlerResult,
  ): Awaitable<unknown> {
    // Checked before anything is sent: a wrong result sends nothing but INTERNAL_ERROR.
    const transition = checkedTransition(pdu.type, state, transitions, result);
    this.shared.metrics.pduHandled(pdu.type, result.outcome);
    if (result.reply !== undefined) {
      this.send(result.reply);
      if (result.reply.type === "ERROR") this.shared.metrics.errorSent(result.reply.code);
      if (result.reply.type === "ERROR" && ERRORS[result.reply.code].closes) {
        this.beginClose(`sent ERROR ${result.reply.code}`);
        return undefined;
      }
    }
    if (result.followUpError !== undefined) {
      this.sendError(result.followUpError.code, result.followUpError.detail);
      if (this.isClosing) return undefined;
    }
    this.enter(transition.next, `${pdu.type} ${result.outcome}`);
    if (result.fanOut === undefined || this.isClosing) return undefined;
    return result.fanOut();
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

  becomeParticipant(): Awaitable<unknown> {
    const version = this.negotiatedVersion;
    if (this.user === null || version === null) throw new Error("no login to take part with");
    const { maxRelayBacklogBytes } = this.shared;
    this.participant = new SessionParticipant(this.user, version, this, maxRelayBacklogBytes);
    return takePart(this.shared, this.participant);
  }

  send(pdu: OutgoingPdu): boolean {
    return this.channel.send(withHeaderVersion(pdu, this.negotiatedVersion));
  }

  sendError(code: ErrorCodeName, detail: string, how: { quiet?: boolean } = {}): void {
    if (this.isClosing) return;
    const closes = ERRORS[code].closes;
    this.log.info({ code, detail, closes }, "sent ERROR");
    this.shared.metrics.errorSent(code);
    this.send(errorPdu(code, detail));
    if (closes) this.beginClose(`sent ERROR ${code}`, how);
  }

  beginClose(reason: string, how: { quiet?: boolean } = {}): void {
    const released = this.enterClosing(reason, how.quiet === true);
    if (released === false) return;
    this.shared.timeouts.untrack(this);
    // The login is free before the peer sees the close (REQ-9.1); at once in memory, after the
    // store's answer in a cluster (REQ-13.2), so a login right after the close, on any node, works.
    void whenReady(released, () => this.channel.close());
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

  touch(): void {
    this.lastSeen = this.shared.now();
  }

  /**
   * The one way into Closing, so the login is freed once: false if already closing, else when the
   * login is free (participation.ts).
   */
  private enterClosing(reason: string, quiet: boolean): false | Awaitable<void> {
    if (this.isClosing) return false;
    this.lifetime = Lifetime.Closing;
    this.closeReason ??= reason;
    return this.release(quiet);
  }

  /** Leaves the registries, then frees the login (participation.ts). */
  private release(quiet: boolean): Awaitable<void> {
    const { lease, participant } = this;
    this.lease = null;
    return endLogin(this.shared, lease, participant, { quiet, log: this.log });
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
  guard(step: () => void): void {
    try {
      step();
    } catch (error) {
      this.internalError(error);
    }
  }

  /** A bug, or a store that cannot answer: INTERNAL_ERROR, and this connection ends. */
  internalError(error: unknown): void {
    this.log.error({ err: error }, "internal error");
    try {
      // A store that cannot answer (a cluster's Redis away) is no bug: its error says so.
      const text = error instanceof StoreUnavailable ? error.message : "internal server error";
      this.sendError("INTERNAL_ERROR", text);
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
