/**
 * ClientSession: the client's side of one Parrot connection, over a PduChannel.
 *
 * It owns the protocol, not the user interface: negotiate, log in, PING every advertised interval,
 * declare the server dead after the advertised ping timeout of silence, LOGOUT once every request
 * is answered and wait for the server's EOF. The requests themselves and their answers are
 * `requests` (chat-requests.ts). What it accepts in each state comes from the generated
 * `classify("client", ...)` and TRANSITIONS, so the client follows spec/protocol.json rather than
 * a hand-copied version of it; what it may send comes from MESSAGE_RULES, so a version-1 session
 * never sends a version-2 PDU.
 *
 * Every way a session can end is one value on `ended`: undefined after a clean LOGOUT, else a
 * ClientFailure whose `reason` is the exit code to use. Operations still waiting when the session
 * ends (negotiation, a login, the logout's wait for answers) reject with that same failure.
 */
import {
  classify,
  type DecodeError,
  ERRORS,
  type ErrorCodeName,
  type ErrorPdu,
  INITIAL_STATE,
  type LoginResponsePdu,
  MESSAGE_RULES,
  type MessageTypeName,
  type Pdu,
  type StateName,
  TIMER_DEFAULTS_MS,
  type VersionResponsePdu,
} from "../generated/index.ts";
import type { StreamCloseInfo } from "../transport/byte-stream.ts";
import type { PduChannel } from "../transport/pdu-channel.ts";
import { ChatRequests } from "./chat-requests.ts";
import { ClientFailure } from "./client-failure.ts";
import type { Unanswered } from "./pending-requests.ts";
import type { SessionEvent } from "./session-event.ts";

/** What the server agreed to in VERSION_RESPONSE OK. */
export interface Negotiated {
  version: number;
  pingIntervalMs: number;
  pingTimeoutMs: number;
  serverVersions: number[];
}

// A server advertising a 0 ms interval would have us ping in a busy loop; no sane server does,
// and a floor keeps a broken one from costing more than a little traffic.
const MIN_PING_INTERVAL_MS = 10;
// Ping tokens are u4 on the wire; after the last one they start again at 1.
const MAX_U32 = 0xffff_ffff;

export class ClientSession {
  /** Resolves once, when the connection is gone: undefined after a clean logout, else why not. */
  readonly ended: Promise<ClientFailure | undefined>;

  private state: StateName = INITIAL_STATE;
  private negotiated: Negotiated | undefined;
  private offeredVersions: number[] = [];
  /** What a logged-in session sends, and the answers to it. */
  readonly requests: ChatRequests;
  private nextPingToken = 1;
  private username: string | undefined;
  private loggingOut = false;
  private endResult: { failure: ClientFailure | undefined } | undefined;
  private resolveEnded!: (failure: ClientFailure | undefined) => void;

  private pendingNegotiation: Waiter<Negotiated> | undefined;
  private pendingLogin: Waiter<LoginResponsePdu> | undefined;
  /** A PING sent behind the outstanding requests at logout; see `settle()`. */
  private barrier:
    | { token: number; mark: number; unanswered: Unanswered[]; waiter: Waiter<Unanswered[]> }
    | undefined;

  private pingTimer: NodeJS.Timeout | undefined;
  private silenceTimer: NodeJS.Timeout | undefined;
  private lastHeardAt = Date.now();

  private readonly eventListeners: ((event: SessionEvent) => void)[] = [];
  private readonly noticeListeners: ((notice: string) => void)[] = [];

  constructor(private readonly channel: PduChannel) {
    this.ended = new Promise((resolve) => {
      this.resolveEnded = resolve;
    });
    channel.onPdu((pdu) => this.receive(pdu));
    channel.onDecodeError((error, fatal) => this.receiveUndecodable(error, fatal));
    channel.onClose((info) => this.channelClosed(info));
    this.requests = new ChatRequests({
      sendable: (type) => this.requireSendable(type),
      send: (pdu) => this.channel.send(pdu),
      mayFollowUp: () => this.endResult === undefined && !this.loggingOut,
      username: () => this.username,
      emit: (event) => {
        for (const listener of this.eventListeners) listener(event);
      },
      notice: (message) => this.notice(message),
      answered: () => this.settled(),
    });
    // Until the server advertises its timeout, allow it the protocol's default to answer at all.
    this.armSilenceTimer(TIMER_DEFAULTS_MS.pingTimeout);
  }

  /** Each answer to a request of this session, and each thing other users did that reaches it. */
  onEvent(listener: (event: SessionEvent) => void): void {
    this.eventListeners.push(listener);
  }

  /** Things the user should see that do not end the session, e.g. a non-closing ERROR. */
  onNotice(listener: (notice: string) => void): void {
    this.noticeListeners.push(listener);
  }

  get currentState(): StateName {
    return this.state;
  }

  get agreement(): Negotiated | undefined {
    return this.negotiated;
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
    this.offeredVersions = versions;
    const waiter = this.wait<Negotiated>();
    this.pendingNegotiation = waiter;
    this.channel.send({ type: "VERSION_REQUEST", version: 0, versions });
    return waiter.promise;
  }

  /**
   * Sends LOGIN_REQUEST and resolves with the server's answer whatever its status; the session
   * is AUTHENTICATED afterwards only for status OK. The caller decides whether to retry.
   */
  login(username: string, password: string): Promise<LoginResponsePdu> {
    const version = this.requireState("NEGOTIATED", "log in");
    if (this.pendingLogin !== undefined) throw new Error("a login is already in progress");
    const waiter = this.wait<LoginResponsePdu>();
    this.pendingLogin = waiter;
    this.username = username;
    this.channel.send({ type: "LOGIN_REQUEST", version, username, password });
    return waiter.promise;
  }

  /** Whether requests may be sent now: logged in, not logging out, connection open. */
  get canSend(): boolean {
    return this.endResult === undefined && this.state === "AUTHENTICATED" && !this.loggingOut;
  }

  /** Resolves when the connection can take more writes (at once if it already can). */
  writable(): Promise<void> {
    if (!this.channel.writableNeedDrain || this.endResult !== undefined) return Promise.resolve();
    return new Promise((resolve) => this.channel.onDrain(resolve));
  }

  /**
   * Waits for every outstanding answer (messages are never silently lost), sends LOGOUT and waits
   * for the server to close the connection: only then is the login free for another client.
   * Rejects with the failure if the session ends any other way first, and with a CONNECTION_LOST
   * failure, after the clean logout, if the server refused requests instead of answering them.
   */
  async logout(): Promise<void> {
    if (this.endResult !== undefined) return this.finishedOrThrow();
    if (this.state === "CONNECTED") {
      // Nothing to log out of; the server has nothing of ours to free.
      this.end(undefined);
      return this.finishedOrThrow();
    }
    const unanswered = await this.settle();
    if (this.endResult !== undefined) return this.finishedOrThrow();
    this.loggingOut = true;
    this.stopPinging();
    this.channel.send({ type: "LOGOUT", version: this.negotiated!.version });
    // The silence timer keeps running: a server that neither closes nor speaks is reported.
    await this.finishedOrThrow();
    if (unanswered.length > 0) throw new ClientFailure("CONNECTION_LOST", describe(unanswered));
  }

  /**
   * Resolves once every request sent so far is accounted for, with those the server will never
   * answer. The server handles a connection's frames strictly in order (REQ-2.9), so a PING sent
   * behind the last request comes back as a PONG only after every answer it is going to send
   * (fan-out to this session included): whatever is still outstanding then was refused (a
   * non-closing ERROR, shown as a notice). A list answer may have sent a request for its next
   * page after the PING; then another PING goes behind that. Without this a client would wait
   * forever for an answer that is not coming.
   */
  private settle(): Promise<Unanswered[]> {
    if (this.requests.pending.size === 0) return Promise.resolve([]);
    const waiter = this.wait<Unanswered[]>();
    this.barrier = { token: 0, mark: 0, unanswered: [], waiter };
    this.sendBarrierPing();
    return waiter.promise;
  }

  private sendBarrierPing(): void {
    const barrier = this.barrier!;
    barrier.token = this.takePingToken();
    barrier.mark = this.requests.pending.mark();
    this.channel.send({ type: "PING", version: this.negotiated!.version, token: barrier.token });
  }

  private barrierPong(): void {
    const barrier = this.barrier!;
    barrier.unanswered.push(...this.requests.pending.takeSentBy(barrier.mark));
    if (this.requests.pending.size > 0) this.sendBarrierPing();
    else this.settled();
  }

  /** Called whenever an answer was matched: the barrier is done once nothing is outstanding. */
  private settled(): void {
    if (this.barrier === undefined || this.requests.pending.size > 0) return;
    this.barrier.waiter.resolve(this.barrier.unanswered);
    this.barrier = undefined;
  }

  /** Drops the connection at once (e.g. a second Ctrl+C); `ended` resolves with `failure`. */
  abort(failure: ClientFailure): void {
    this.end(failure, "drop");
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
    if (this.loggingOut) throw new Error(`cannot send ${type} while logging out`);
    if (!this.supports(type)) throw new Error(`${type} is not in protocol version ${version}`);
    return version;
  }

  private requireState(state: StateName, action: string): number {
    // Not a bug in the caller: the server may end the session at any moment. Report why.
    if (this.endResult !== undefined) {
      throw (
        this.endResult.failure ??
        new ClientFailure("CONNECTION_LOST", `cannot ${action}: the session has ended`)
      );
    }
    if (this.state !== state) throw new Error(`cannot ${action} in state ${this.state}`);
    return this.negotiated?.version ?? 0;
  }

  private receive(pdu: Pdu): void {
    if (this.endResult !== undefined) return;
    this.lastHeardAt = Date.now();
    const verdict = classify("client", this.state, this.negotiated?.version ?? null, {
      version: pdu.version,
      type: pdu.type,
    });
    if (verdict.kind === "peer-error") {
      this.receiveServerError(pdu as ErrorPdu);
      return;
    }
    if (verdict.kind === "reject") {
      this.rejectFromServer(verdict.error, `${pdu.type} (header version ${pdu.version})`);
      return;
    }
    // A transition's outcome is the value of the message's status field, or OK if it has none.
    const outcome = "status" in pdu ? pdu.status : "OK";
    const transition = verdict.transitions.find((each) => each.outcome === outcome);
    if (transition === undefined) {
      this.rejectFromServer("MALFORMED_PAYLOAD", `${pdu.type} with outcome ${outcome}`);
      return;
    }
    switch (pdu.type) {
      case "VERSION_RESPONSE":
        this.receiveVersionResponse(pdu, transition.next);
        return;
      case "LOGIN_RESPONSE":
        this.receiveLoginResponse(pdu, transition.next);
        return;
      case "PONG":
        // Hearing anything at all is what keeps the server alive in our eyes; beyond that a
        // PONG only matters when it answers the logout barrier.
        if (this.barrier !== undefined && pdu.token === this.barrier.token) this.barrierPong();
        return;
      default:
        // classify() accepted a type this client has no handler for: the spec grew a
        // server-to-client message and this code did not follow. Refuse it without closing.
        if (!this.requests.receive(pdu)) {
          this.rejectFromServer("UNEXPECTED_MESSAGE", `${pdu.type} has no handler in this client`);
        }
    }
  }

  // On failure the waiting negotiate() is rejected by end(), with the failure.
  private receiveVersionResponse(pdu: VersionResponsePdu, next: StateName): void {
    if (pdu.status === "NO_COMMON_VERSION") {
      this.state = next;
      this.end(
        new ClientFailure(
          "NO_COMMON_VERSION",
          `no common protocol version: offered ${this.offeredVersions.join(",")}, ` +
            `the server speaks ${pdu.supportedVersions.join(",")}`,
        ),
      );
      return;
    }
    if (!this.offeredVersions.includes(pdu.chosenVersion)) {
      // No error code names this; the server is simply not speaking our protocol.
      this.end(
        new ClientFailure(
          "CONNECTION_LOST",
          `the server chose protocol version ${pdu.chosenVersion}, which was not offered ` +
            `(offered ${this.offeredVersions.join(",")})`,
        ),
      );
      return;
    }
    this.state = next;
    this.negotiated = {
      version: pdu.chosenVersion,
      pingIntervalMs: Math.max(pdu.pingIntervalMs, MIN_PING_INTERVAL_MS),
      pingTimeoutMs: pdu.pingTimeoutMs,
      serverVersions: pdu.supportedVersions,
    };
    this.startPinging();
    // The silence timer was armed with the protocol default; the server's own value applies now.
    if (this.silenceTimer !== undefined) clearTimeout(this.silenceTimer);
    this.armSilenceTimer(this.negotiated.pingTimeoutMs);
    this.pendingNegotiation?.resolve(this.negotiated);
    this.pendingNegotiation = undefined;
  }

  private receiveLoginResponse(pdu: LoginResponsePdu, next: StateName): void {
    const waiter = this.pendingLogin;
    if (waiter === undefined) {
      this.rejectFromServer("UNEXPECTED_MESSAGE", "LOGIN_RESPONSE without a LOGIN_REQUEST");
      return;
    }
    this.pendingLogin = undefined;
    this.state = next;
    waiter.resolve(pdu);
  }

  private receiveServerError(pdu: ErrorPdu): void {
    const shown = `server error ${pdu.code}${pdu.text === "" ? "" : `: ${pdu.text}`}`;
    if (!ERRORS[pdu.code].closes) {
      this.notice(shown);
      return;
    }
    const reason = pdu.code === "TOO_MANY_LOGIN_ATTEMPTS" ? "LOGIN_REFUSED" : "CONNECTION_LOST";
    this.end(new ClientFailure(reason, shown));
  }

  private receiveUndecodable(error: DecodeError, fatal: boolean): void {
    if (this.endResult !== undefined) return;
    this.lastHeardAt = Date.now();
    this.rejectFromServer(error.code, error.message, fatal);
  }

  /** The server sent something the spec does not allow: tell it, as a server would tell a client. */
  private rejectFromServer(code: ErrorCodeName, detail: string, mustClose = false): void {
    this.channel.send({
      type: "ERROR",
      version: this.negotiated?.version ?? 0,
      code,
      // 160 UTF-16 units are at most 480 UTF-8 bytes: always inside ERROR's 512-byte text.
      text: detail.slice(0, 160),
    });
    const message = `the server broke the protocol (${code}): ${detail}`;
    if (mustClose || ERRORS[code].closes) this.end(new ClientFailure("CONNECTION_LOST", message));
    else this.notice(message);
  }

  private channelClosed(info: StreamCloseInfo): void {
    if (this.endResult !== undefined) return;
    if (this.loggingOut && !info.hadError) {
      this.end(undefined);
      return;
    }
    const how = info.error === undefined ? "" : `: ${info.error.message}`;
    const when = this.loggingOut ? "while logging out" : `in state ${this.state}`;
    this.end(
      new ClientFailure("CONNECTION_LOST", `the server closed the connection ${when}${how}`),
    );
  }

  private startPinging(): void {
    const interval = this.negotiated!.pingIntervalMs;
    this.pingTimer = setInterval(() => {
      const token = this.takePingToken();
      this.channel.send({ type: "PING", version: this.negotiated!.version, token });
    }, interval);
  }

  private takePingToken(): number {
    const token = this.nextPingToken;
    this.nextPingToken = token === MAX_U32 ? 1 : token + 1;
    return token;
  }

  private stopPinging(): void {
    if (this.pingTimer !== undefined) clearInterval(this.pingTimer);
    this.pingTimer = undefined;
  }

  // One timer, re-armed only when it fires: receiving a PDU just records the time, so a busy
  // connection does not churn timers.
  private armSilenceTimer(delayMs: number): void {
    this.silenceTimer = setTimeout(() => this.checkSilence(), delayMs);
  }

  private checkSilence(): void {
    const timeoutMs = this.negotiated?.pingTimeoutMs ?? TIMER_DEFAULTS_MS.pingTimeout;
    const silentFor = Date.now() - this.lastHeardAt;
    if (silentFor < timeoutMs) {
      this.armSilenceTimer(timeoutMs - silentFor);
      return;
    }
    this.end(
      new ClientFailure(
        "SERVER_SILENT",
        `the server stopped answering: nothing received for ${silentFor} ms ` +
          `(its ping timeout is ${timeoutMs} ms)`,
      ),
      "drop",
    );
  }

  private notice(message: string): void {
    for (const listener of this.noticeListeners) listener(message);
  }

  /**
   * "graceful" lets an ERROR we just sent reach the server (the channel bounds the wait);
   * "drop" is for a server that no longer answers, or a user who no longer wants to wait.
   * Whoever waits on the session hears of the end only once the connection is closed, so a
   * caller that exits the process right after cannot cut off our last words to the server.
   */
  private end(
    failure: ClientFailure | undefined,
    closeHow: "graceful" | "drop" = "graceful",
  ): void {
    if (this.endResult !== undefined) return;
    this.endResult = { failure };
    this.state = "CLOSED";
    this.stopPinging();
    if (this.silenceTimer !== undefined) clearTimeout(this.silenceTimer);
    if (closeHow === "drop") this.channel.destroy();
    void this.channel.close().then(() => {
      const cause =
        failure ??
        new ClientFailure("CONNECTION_LOST", "the session ended before the answer arrived");
      this.pendingNegotiation?.reject(cause);
      this.pendingLogin?.reject(cause);
      this.barrier?.waiter.reject(cause);
      this.pendingNegotiation = undefined;
      this.pendingLogin = undefined;
      this.barrier = undefined;
      this.resolveEnded(failure);
    });
  }

  private wait<T>(): Waiter<T> {
    let resolve!: (value: T) => void;
    let reject!: (error: ClientFailure) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  }
}

/** "the server never echoed 1 message(s) (message ids 2); ... answered 1 request(s) (...)". */
function describe(unanswered: Unanswered[]): string {
  const chats = unanswered.filter((each) => each.kind === "CHAT");
  const others = unanswered.filter((each) => each.kind !== "CHAT");
  const parts: string[] = [];
  if (chats.length > 0) {
    parts.push(
      `the server never echoed ${chats.length} message(s) ` +
        `(message ids ${chats.map((each) => each.id).join(",")})`,
    );
  }
  if (others.length > 0) {
    parts.push(
      `the server never answered ${others.length} request(s) ` +
        `(${others.map((each) => `${each.kind} ${each.id}`).join(", ")})`,
    );
  }
  return parts.join("; ");
}

interface Waiter<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: ClientFailure): void;
}
