/**
 * ClientSession: the client's side of one Parrot connection, over a PduChannel.
 *
 * It owns the protocol, not the user interface: negotiate, log in, keep the connection alive
 * (keep-alive.ts), wait for every answer before LOGOUT (logout-barrier.ts) and wait for the
 * server's EOF. The requests themselves are `requests` (chat-requests.ts); what the server sends
 * goes to one handler per message type (handlers/client-handlers.ts). What it accepts in each
 * state comes from the generated `classify("client", ...)` and TRANSITIONS (receive-route.ts), so
 * the client follows spec/protocol.json rather than a hand-copied version of it; what it may send
 * comes from MESSAGE_RULES, so a version-1 session never sends a version-2 PDU.
 *
 * Every way a session can end is one value on `ended`: undefined after a clean LOGOUT, else a
 * ClientFailure whose `reason` says why. Operations still waiting when the session ends
 * (negotiation, a login, the logout's wait for answers) reject with that same failure.
 */
import {
  type DecodeError,
  ERRORS,
  type ErrorCodeName,
  INITIAL_STATE,
  type LoginResponsePdu,
  MESSAGE_RULES,
  type MessageTypeName,
  type Pdu,
  type StateName,
} from "../generated/index.ts";
import type { StreamCloseInfo } from "../transport/byte-stream.ts";
import type { PduChannel } from "../transport/pdu-channel.ts";
import { ChatRequests } from "./chat-requests.ts";
import { ClientFailure } from "./client-failure.ts";
import { type Clock, SYSTEM_CLOCK } from "./clock.ts";
import { dispatch } from "./handlers/client-handlers.ts";
import type { SessionCore } from "./handlers/receive-context.ts";
import { KeepAlive } from "./keep-alive.ts";
import { describeUnanswered, LogoutBarrier } from "./logout-barrier.ts";
import type { Negotiated } from "./negotiated.ts";
import type { Unanswered } from "./pending-requests.ts";
import { routeReceived } from "./receive-route.ts";
import { RoomHold } from "./room-hold.ts";
import { SeenMessages } from "./seen-messages.ts";
import type { SessionEvent } from "./session-event.ts";
import { Lifecycle } from "./session-lifecycle.ts";
import { describeState } from "./state-words.ts";
import { Waiter } from "./waiter.ts";

export type { Negotiated } from "./negotiated.ts";

export class ClientSession implements SessionCore {
  /** Resolves once, when the connection is gone: undefined after a clean logout, else why not. */
  readonly ended: Promise<ClientFailure | undefined>;
  /** What a logged-in session sends, and the record of what is outstanding. */
  readonly requests: ChatRequests;

  private lifecycle = Lifecycle.Open;
  private state: StateName = INITIAL_STATE;
  private failure: ClientFailure | undefined;
  private negotiated: Negotiated | undefined;
  private offered: number[] = [];
  private loggedInAs: string | undefined;
  private readonly heldRooms = new RoomHold();
  /** Direct messages still to come from the offline queue, as SESSION_INFO announced. */
  private storedToCome = 0;
  private resolveEnded!: (failure: ClientFailure | undefined) => void;
  private pendingNegotiation: Waiter<Negotiated> | undefined;
  private pendingLogin: Waiter<LoginResponsePdu> | undefined;
  /** A version-3 LOGIN_RESPONSE OK held until the PDU after it (SESSION_INFO, REQ-15.14). */
  private loginBeforeInfo: LoginResponsePdu | undefined;
  private barrier: LogoutBarrier | undefined;
  private readonly keepAlive: KeepAlive;
  private readonly eventListeners: ((event: SessionEvent) => void)[] = [];
  private readonly noticeListeners: ((notice: string) => void)[] = [];

  /**
   * `seen`: the version-3 messages already shown, shared by the sessions of one reconnecting run
   * so nothing is shown twice across connections (seen-messages.ts); a fresh one by default.
   */
  constructor(
    private readonly channel: PduChannel,
    private readonly clock: Clock = SYSTEM_CLOCK,
    readonly seen: SeenMessages = new SeenMessages(),
  ) {
    this.ended = new Promise((resolve) => {
      this.resolveEnded = resolve;
    });
    this.requests = new ChatRequests({
      sendable: (type) => this.requireSendable(type),
      send: (pdu) => this.channel.send(pdu),
      supports: (type) => this.supports(type),
      mayFollowUp: () => this.lifecycle === Lifecycle.Open,
    });
    this.keepAlive = new KeepAlive(
      {
        sendPing: (token) => this.channel.send({ type: "PING", version: this.version, token }),
        dead: (why) => this.end(new ClientFailure("SERVER_SILENT", why), "drop"),
      },
      clock,
    );
    channel.onPdu((pdu) => this.receive(pdu));
    channel.onDecodeError((error, fatal) => this.receiveUndecodable(error, fatal));
    channel.onClose((info) => this.channelClosed(info));
  }

  /** Each answer to a request of this session, and each thing other users did that reaches it. */
  onEvent(listener: (event: SessionEvent) => void): void {
    this.eventListeners.push(listener);
  }

  /** Things the user should see that do not end the session, e.g. a non-closing ERROR. */
  onNotice(listener: (notice: string) => void): void {
    this.noticeListeners.push(listener);
  }

  get agreement(): Negotiated | undefined {
    return this.negotiated;
  }

  get offeredVersions(): readonly number[] {
    return this.offered;
  }

  get username(): string | undefined {
    return this.loggedInAs;
  }

  /** Requests sent (messages included) whose answer has not arrived yet. */
  get outstandingCount(): number {
    return this.requests.pending.size;
  }

  /** Whether the negotiated version has this message type (false before negotiation). */
  supports(type: MessageTypeName): boolean {
    return this.negotiated !== undefined && MESSAGE_RULES[type].since <= this.negotiated.version;
  }

  get remoteAddress(): string {
    return this.channel.remoteAddress;
  }

  /**
   * Sends VERSION_REQUEST (header version 0) and waits for the answer. Rejects with a
   * NO_COMMON_VERSION failure listing the server's versions when there is no common one.
   */
  negotiate(versions: number[]): Promise<Negotiated> {
    this.requireState("CONNECTED", "negotiate");
    this.offered = versions;
    this.pendingNegotiation = new Waiter<Negotiated>();
    this.channel.send({ type: "VERSION_REQUEST", version: 0, versions });
    return this.pendingNegotiation.promise;
  }

  /**
   * Sends LOGIN_REQUEST and resolves with the server's answer whatever its status; the session
   * is AUTHENTICATED afterwards only for status OK. The caller decides whether to retry.
   */
  login(username: string, password: string): Promise<LoginResponsePdu> {
    const version = this.requireState("NEGOTIATED", "log in");
    if (this.pendingLogin !== undefined) throw new Error("a login is already in progress");
    this.pendingLogin = new Waiter<LoginResponsePdu>();
    this.loggedInAs = username;
    this.channel.send({ type: "LOGIN_REQUEST", version, username, password });
    return this.pendingLogin.promise;
  }

  /** True once the session has ended (`ended` has resolved or is about to). */
  get hasEnded(): boolean {
    return this.lifecycle === Lifecycle.Ended;
  }

  /** Whether requests may be sent now: logged in, not logging out, connection open. */
  get canSend(): boolean {
    return this.lifecycle === Lifecycle.Open && this.state === "AUTHENTICATED";
  }

  /** Resolves when the connection can take more writes (at once if it already can). */
  writable(): Promise<void> {
    if (!this.channel.writableNeedDrain || this.lifecycle === Lifecycle.Ended) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.channel.onDrain(resolve));
  }

  /**
   * Waits for every outstanding answer (messages are never silently lost), sends LOGOUT and waits
   * for the server to close the connection: only then is the login free for another client.
   * Rejects with the failure if the session ends any other way first, and with a CONNECTION_LOST
   * failure, after the clean logout, if the server refused requests instead of answering them.
   */
  async logout(): Promise<void> {
    if (this.lifecycle !== Lifecycle.Open) return this.finishedOrThrow();
    if (this.state === "CONNECTED") {
      // Nothing to log out of; the server has nothing of ours to free.
      this.end(undefined);
      return this.finishedOrThrow();
    }
    const unanswered = await this.settle();
    if (this.lifecycle !== Lifecycle.Open) return this.finishedOrThrow();
    this.lifecycle = Lifecycle.LoggingOut;
    this.keepAlive.stopPinging();
    this.channel.send({ type: "LOGOUT", version: this.version });
    // The silence check keeps running: a server that neither closes nor speaks is reported.
    await this.finishedOrThrow();
    if (unanswered.length > 0)
      throw new ClientFailure("CONNECTION_LOST", describeUnanswered(unanswered));
  }

  /** Drops the connection at once (e.g. a second Ctrl+C); `ended` resolves with `failure`. */
  abort(failure: ClientFailure): void {
    this.end(failure, "drop");
  }

  // SessionCore: what the handlers may do.

  enter(state: StateName): void {
    this.state = state;
  }

  agreed(negotiated: Negotiated): void {
    this.negotiated = negotiated;
    this.keepAlive.start(negotiated.pingIntervalMs, negotiated.pingTimeoutMs);
    this.pendingNegotiation?.resolve(negotiated);
    this.pendingNegotiation = undefined;
  }

  loginAnswered(pdu: LoginResponsePdu): boolean {
    const waiter = this.pendingLogin;
    if (waiter === undefined) return false;
    // What the caller sends next may depend on SESSION_INFO (max_page, REQ-15.27), right behind.
    if (pdu.status === "OK" && this.supports("SESSION_INFO")) {
      this.loginBeforeInfo = pdu;
      return true;
    }
    this.pendingLogin = undefined;
    waiter.resolve(pdu);
    return true;
  }

  storedDirectMessagesFollow(count: number): void {
    this.storedToCome = count;
  }

  nextDirectMessageIsStored(): boolean {
    if (this.storedToCome === 0) return false;
    this.storedToCome -= 1;
    return true;
  }

  pong(token: number): void {
    this.keepAlive.pong(token);
    this.barrier?.pong(token);
  }

  emit(event: SessionEvent): void {
    if (this.heldRooms.keep(event)) return;
    for (const listener of this.eventListeners) listener(event);
  }

  holdRoom(room: string): void {
    this.heldRooms.hold(room);
  }

  releaseRoom(room: string): void {
    for (const event of this.heldRooms.release(room)) this.emit(event);
  }

  notice(message: string): void {
    for (const listener of this.noticeListeners) listener(message);
  }

  answered(): void {
    this.barrier?.answered();
  }

  refuse(code: ErrorCodeName, detail: string, mustClose = false): void {
    this.channel.send({
      type: "ERROR",
      version: this.version,
      code,
      // 160 UTF-16 units are at most 480 UTF-8 bytes: always inside ERROR's 512-byte text.
      text: detail.slice(0, 160),
    });
    const message = `the server broke the protocol (${code}): ${detail}`;
    if (mustClose || ERRORS[code].closes) this.end(new ClientFailure("CONNECTION_LOST", message));
    else this.notice(message);
  }

  /**
   * "graceful" lets an ERROR we just sent reach the server (the channel bounds the wait);
   * "drop" is for a server that no longer answers, or a user who no longer wants to wait.
   * Whoever waits on the session hears of the end only once the connection is closed, so a
   * caller that exits the process right after cannot cut off our last words to the server.
   */
  end(failure: ClientFailure | undefined, closeHow: "graceful" | "drop" = "graceful"): void {
    if (this.lifecycle === Lifecycle.Ended) return;
    this.lifecycle = Lifecycle.Ended;
    this.failure = failure;
    this.state = "CLOSED";
    this.keepAlive.stop();
    // A replay cut short by the end: what arrived live for its room is still shown.
    for (const room of this.heldRooms.rooms()) this.releaseRoom(room);
    if (closeHow === "drop") this.channel.destroy();
    void this.channel.close().then(() => {
      const cause =
        failure ??
        new ClientFailure("CONNECTION_LOST", "the session ended before the answer arrived");
      this.pendingNegotiation?.reject(cause);
      this.pendingLogin?.reject(cause);
      this.barrier?.cancel(cause);
      this.pendingNegotiation = undefined;
      this.pendingLogin = undefined;
      this.barrier = undefined;
      this.resolveEnded(failure);
    });
  }

  private receive(pdu: Pdu): void {
    if (this.lifecycle === Lifecycle.Ended) return;
    // A PONG is life only if it answers us: its handler decides (keep-alive.ts).
    if (pdu.type !== "PONG") this.keepAlive.heard();
    const route = routeReceived(this.state, this.negotiated?.version ?? null, pdu);
    if (route.kind === "refuse") this.refuse(route.code, route.detail);
    else dispatch(route.pdu, { session: this, next: route.next });
    const held = this.loginBeforeInfo;
    if (held !== undefined && pdu !== held) {
      this.loginBeforeInfo = undefined;
      this.pendingLogin?.resolve(held);
      this.pendingLogin = undefined;
    }
  }

  private receiveUndecodable(error: DecodeError, fatal: boolean): void {
    if (this.lifecycle === Lifecycle.Ended) return;
    this.keepAlive.heard();
    this.refuse(error.code, error.message, fatal);
  }

  private channelClosed(info: StreamCloseInfo): void {
    if (this.lifecycle === Lifecycle.Ended) return;
    if (this.lifecycle === Lifecycle.LoggingOut && !info.hadError) {
      this.end(undefined);
      return;
    }
    const how = info.error === undefined ? "" : `: ${info.error.message}`;
    const when =
      this.lifecycle === Lifecycle.LoggingOut ? "while logging out" : describeState(this.state);
    this.end(
      new ClientFailure("CONNECTION_LOST", `the server closed the connection ${when}${how}`),
    );
  }

  private get version(): number {
    return this.negotiated?.version ?? 0;
  }

  /** Resolves with the requests the server will never answer, once nothing is outstanding. */
  private settle(): Promise<Unanswered[]> {
    const barrier = new LogoutBarrier(
      {
        pending: this.requests.pending,
        ping: () => this.keepAlive.ping(),
        stalled: (why) => this.end(new ClientFailure("SERVER_SILENT", why), "drop"),
      },
      this.negotiated!.pingTimeoutMs,
      this.clock,
    );
    this.barrier = barrier;
    return barrier.done.finally(() => {
      if (this.barrier === barrier) this.barrier = undefined;
    });
  }

  private async finishedOrThrow(): Promise<void> {
    const failure = await this.ended;
    if (failure !== undefined) throw failure;
  }

  /**
   * The negotiated version, if a request of `type` may be sent now. Throws a bug (Error) when the
   * caller did not check `supports()`: the user interface says "needs protocol v2", not this.
   */
  private requireSendable(type: MessageTypeName): number {
    const version = this.requireState("AUTHENTICATED", `send ${type}`);
    if (!this.supports(type)) throw new Error(`${type} is not in protocol version ${version}`);
    return version;
  }

  private requireState(state: StateName, action: string): number {
    // Not a bug in the caller: the server may end the session at any moment. Report why.
    if (this.lifecycle === Lifecycle.Ended) {
      throw (
        this.failure ??
        new ClientFailure("CONNECTION_LOST", `cannot ${action}: the session has ended`)
      );
    }
    if (this.lifecycle === Lifecycle.LoggingOut) throw new Error(`cannot ${action}: logging out`);
    if (this.state !== state) throw new Error(`cannot ${action} in state ${this.state}`);
    return this.version;
  }
}
