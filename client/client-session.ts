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
import { EventOutlet } from "./event-outlet.ts";
import { dispatch } from "./handlers/client-handlers.ts";
import type { SessionCore } from "./handlers/receive-context.ts";
import { Handshake } from "./handshake.ts";
import { KeepAlive } from "./keep-alive.ts";
import { describeUnanswered, LogoutBarrier } from "./logout-barrier.ts";
import type { Negotiated } from "./negotiated.ts";
import type { Unanswered } from "./pending-requests.ts";
import { routeReceived } from "./receive-route.ts";
import { SeenMessages } from "./seen-messages.ts";
import type { SessionEvent } from "./session-event.ts";
import { Lifecycle, requireOpen } from "./session-lifecycle.ts";
import { describeState } from "./state-words.ts";

export type { Negotiated } from "./negotiated.ts";

export class ClientSession implements SessionCore {
  /** Resolves once, when the connection is gone: undefined after a clean logout, else why not. */
  readonly ended: Promise<ClientFailure | undefined>;
  /** What a logged-in session sends, and the record of what is outstanding. */
  readonly requests: ChatRequests;
  readonly events = new EventOutlet();

  private lifecycle = Lifecycle.Open;
  private heardFromServer = false;
  private state: StateName = INITIAL_STATE;
  private failure: ClientFailure | undefined;
  private readonly handshake = new Handshake();
  /** Direct messages still to come from the offline queue, as SESSION_INFO announced. */
  private storedToCome = 0;
  private resolveEnded!: (failure: ClientFailure | undefined) => void;
  private barrier: LogoutBarrier | undefined;
  private readonly keepAlive: KeepAlive;

  /**
   * `seen`: the version-3 messages already shown, shared by the sessions of one reconnecting run
   * so nothing is shown twice across connections (seen-messages.ts); a fresh one by default.
   */
  constructor(
    private readonly channel: PduChannel,
    private readonly clock: Clock = SYSTEM_CLOCK,
    readonly seen: SeenMessages = new SeenMessages(),
    /** Added to the failure when the connection ends before anything came from the server. */
    private readonly silentCloseHint?: string,
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
    this.events.onEvent(listener);
  }

  /** Things the user should see that do not end the session, e.g. a non-closing ERROR. */
  onNotice(listener: (notice: string) => void): void {
    this.events.onNotice(listener);
  }

  get agreement(): Negotiated | undefined {
    return this.handshake.agreement;
  }

  get offeredVersions(): readonly number[] {
    return this.handshake.offered;
  }

  get username(): string | undefined {
    return this.handshake.username;
  }

  /** Requests sent (messages included) whose answer has not arrived yet. */
  get outstandingCount(): number {
    return this.requests.pending.size;
  }

  /** Whether the negotiated version has this message type (false before negotiation). */
  supports(type: MessageTypeName): boolean {
    const agreement = this.handshake.agreement;
    return agreement !== undefined && MESSAGE_RULES[type].since <= agreement.version;
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
    const answer = this.handshake.negotiating(versions);
    this.channel.send({ type: "VERSION_REQUEST", version: 0, versions });
    return answer;
  }

  /**
   * Sends LOGIN_REQUEST and resolves with the server's answer whatever its status; the session
   * is AUTHENTICATED afterwards only for status OK. The caller decides whether to retry.
   */
  login(username: string, password: string): Promise<LoginResponsePdu> {
    const version = this.requireState("NEGOTIATED", "log in");
    const answer = this.handshake.loggingIn(username);
    this.channel.send({ type: "LOGIN_REQUEST", version, username, password });
    return answer;
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
    this.handshake.agreed(negotiated);
    this.keepAlive.start(negotiated.pingIntervalMs, negotiated.pingTimeoutMs);
  }

  loginAnswered(pdu: LoginResponsePdu): boolean {
    return this.handshake.loginAnswered(pdu, this.supports("SESSION_INFO"));
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
    else this.events.notice(message);
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
    this.events.releaseAll();
    if (closeHow === "drop") this.channel.destroy();
    void this.channel.close().then(() => {
      const cause =
        failure ??
        new ClientFailure("CONNECTION_LOST", "the session ended before the answer arrived");
      this.handshake.cancel(cause);
      this.barrier?.cancel(cause);
      this.barrier = undefined;
      this.resolveEnded(failure);
    });
  }

  private receive(pdu: Pdu): void {
    if (this.lifecycle === Lifecycle.Ended) return;
    this.heardFromServer = true;
    // A PONG is life only if it answers us: its handler decides (keep-alive.ts).
    if (pdu.type !== "PONG") this.keepAlive.heard();
    const route = routeReceived(this.state, this.handshake.agreement?.version ?? null, pdu);
    if (route.kind === "refuse") this.refuse(route.code, route.detail);
    else dispatch(route.pdu, { session: this, next: route.next });
    this.handshake.received(pdu);
  }

  private receiveUndecodable(error: DecodeError, fatal: boolean): void {
    if (this.lifecycle === Lifecycle.Ended) return;
    this.heardFromServer = true;
    this.keepAlive.heard();
    this.refuse(error.code, error.message, fatal);
  }

  private channelClosed(info: StreamCloseInfo): void {
    if (this.lifecycle === Lifecycle.Ended) return;
    if (this.lifecycle === Lifecycle.LoggingOut && !info.hadError) {
      this.end(undefined);
      return;
    }
    let how = info.error === undefined ? "" : `: ${info.error.message}`;
    if (!this.heardFromServer && this.silentCloseHint !== undefined)
      how += `; ${this.silentCloseHint}`;
    const when =
      this.lifecycle === Lifecycle.LoggingOut ? "while logging out" : describeState(this.state);
    this.end(
      new ClientFailure("CONNECTION_LOST", `the server closed the connection ${when}${how}`),
    );
  }

  private get version(): number {
    return this.handshake.agreement?.version ?? 0;
  }

  /** Resolves with the requests the server will never answer, once nothing is outstanding. */
  private settle(): Promise<Unanswered[]> {
    const barrier = new LogoutBarrier(
      {
        pending: this.requests.pending,
        ping: () => this.keepAlive.ping(),
        stalled: (why) => this.end(new ClientFailure("SERVER_SILENT", why), "drop"),
      },
      this.handshake.agreement!.pingTimeoutMs,
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
    requireOpen(this.lifecycle, action, this.failure);
    if (this.state !== state) throw new Error(`cannot ${action} in state ${this.state}`);
    return this.version;
  }
}
