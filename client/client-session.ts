/**
 * ClientSession: the client's side of one Parrot connection, over a PduChannel.
 *
 * It owns the protocol, not the user interface: negotiate, log in, send requests (CHAT and the
 * version-2 ones) with increasing ids and match each answer by id, report what other users do as
 * SessionEvents, PING every advertised interval, declare the server dead after the advertised ping
 * timeout of silence, LOGOUT and wait for the server's EOF. What it accepts in each state comes
 * from the generated `classify("client", ...)` and TRANSITIONS, so the client follows
 * spec/protocol.json rather than a hand-copied version of it; what it may send comes from
 * MESSAGE_RULES, so a version-1 session never sends a version-2 PDU.
 *
 * Every way a session can end is one value on `ended`: undefined after a clean LOGOUT, else a
 * ClientFailure whose `reason` is the exit code to use. Operations still waiting when the session
 * ends (negotiation, a login, the logout's wait for answers) reject with that same failure.
 */
import {
  type ChatEchoPdu,
  classify,
  type DecodeError,
  type DirectStatusPdu,
  ERRORS,
  type ErrorCodeName,
  type ErrorPdu,
  INITIAL_STATE,
  type LoginResponsePdu,
  MESSAGE_RULES,
  type MessageTypeName,
  type Pdu,
  type PresenceModeName,
  type RoomListPdu,
  type RoomMessagePdu,
  type RoomResultPdu,
  type StateName,
  TIMER_DEFAULTS_MS,
  type VersionResponsePdu,
  type WhoListPdu,
} from "../generated/index.ts";
import type { StreamCloseInfo } from "../transport/byte-stream.ts";
import type { PduChannel } from "../transport/pdu-channel.ts";
import { ClientFailure } from "./client-failure.ts";
import { type PendingRequest, PendingRequests, type Unanswered } from "./pending-requests.ts";
import type { SessionEvent } from "./session-event.ts";
import type { TypingSignal } from "./typing-sender.ts";

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
// Message ids, request ids and ping tokens are u4 on the wire; after the last one they start
// again at 1 (request id 0 means "a TYPING" in ROOM_RESULT, so no request uses it).
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

export class ClientSession {
  /** Resolves once, when the connection is gone: undefined after a clean logout, else why not. */
  readonly ended: Promise<ClientFailure | undefined>;

  private state: StateName = INITIAL_STATE;
  private negotiated: Negotiated | undefined;
  private offeredVersions: number[] = [];
  /** One counter for message ids and request ids, so every answer's id names one request. */
  private nextRequestId = 1;
  private nextPingToken = 1;
  private readonly pending = new PendingRequests();
  /** The username logged in with; ROOM_MESSAGEs from it answer this session's ROOM_SAYs. */
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
    return this.pending.size;
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

  /** Sends one CHAT; its CHAT_ECHO comes back as an "echo" event. */
  chat(text: string): SendResult {
    const version = this.requireSendable("CHAT");
    return this.request({ kind: "CHAT" }, (messageId) => ({
      type: "CHAT",
      version,
      messageId,
      text,
    }));
  }

  /** DIRECT_SEND; answered by a "direct-status" event naming `to`. */
  directSend(to: string, text: string): SendResult {
    const version = this.requireSendable("DIRECT_SEND");
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
    const version = this.requireSendable("ROOM_JOIN");
    return this.request({ kind: "ROOM_JOIN", room }, (requestId) => ({
      type: "ROOM_JOIN",
      version,
      requestId,
      room,
    }));
  }

  /** ROOM_LEAVE; answered by a "room-result" event. */
  leaveRoom(room: string): SendResult {
    const version = this.requireSendable("ROOM_LEAVE");
    return this.request({ kind: "ROOM_LEAVE", room }, (requestId) => ({
      type: "ROOM_LEAVE",
      version,
      requestId,
      room,
    }));
  }

  /** ROOM_SAY; answered by its own "room-message" event, or a "room-result" refusal. */
  say(room: string, text: string): SendResult {
    const version = this.requireSendable("ROOM_SAY");
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
    this.requireSendable("ROOM_LIST_REQUEST");
    return this.requestRoomPage([]);
  }

  /** Asks who is online ("") or in a room, page by page; answered by one "who-list" event. */
  who(room: string): SendResult {
    this.requireSendable("WHO_REQUEST");
    return this.requestWhoPage(room, []);
  }

  /**
   * Sends one TYPING. No answer unless refused, so nothing is outstanding; callers pace these
   * through a TypingSender, since the server refuses TYPINGs that come too fast.
   */
  typing(signal: TypingSignal): boolean {
    const version = this.requireSendable("TYPING");
    return this.channel.send({
      type: "TYPING",
      version,
      targetKind: signal.target.kind,
      target: signal.target.name,
      state: signal.state,
    });
  }

  /** PRESENCE_SUBSCRIBE; the server never answers it (REQ-12.32). */
  presence(enabled: PresenceModeName): boolean {
    const version = this.requireSendable("PRESENCE_SUBSCRIBE");
    return this.channel.send({ type: "PRESENCE_SUBSCRIBE", version, enabled });
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
    if (this.pending.size === 0) return Promise.resolve([]);
    const waiter = this.wait<Unanswered[]>();
    this.barrier = { token: 0, mark: 0, unanswered: [], waiter };
    this.sendBarrierPing();
    return waiter.promise;
  }

  private sendBarrierPing(): void {
    const barrier = this.barrier!;
    barrier.token = this.takePingToken();
    barrier.mark = this.pending.mark();
    this.channel.send({ type: "PING", version: this.negotiated!.version, token: barrier.token });
  }

  private barrierPong(): void {
    const barrier = this.barrier!;
    barrier.unanswered.push(...this.pending.takeSentBy(barrier.mark));
    if (this.pending.size > 0) this.sendBarrierPing();
    else this.settled();
  }

  /** Called whenever an answer was matched: the barrier is done once nothing is outstanding. */
  private settled(): void {
    if (this.barrier === undefined || this.pending.size > 0) return;
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

  private takeRequestId(): number {
    const id = this.nextRequestId;
    this.nextRequestId = id === MAX_U32 ? 1 : id + 1;
    return id;
  }

  private request(request: PendingRequest, pdu: (id: number) => Pdu): SendResult {
    const id = this.takeRequestId();
    const accepted = this.channel.send(pdu(id));
    this.pending.add(id, request);
    return { id, accepted };
  }

  private requestRoomPage(collected: string[]): SendResult {
    const version = this.negotiated!.version;
    return this.request({ kind: "ROOM_LIST_REQUEST", collected }, (requestId) => ({
      type: "ROOM_LIST_REQUEST",
      version,
      requestId,
      offset: collected.length,
    }));
  }

  private requestWhoPage(room: string, collected: string[]): SendResult {
    const version = this.negotiated!.version;
    return this.request({ kind: "WHO_REQUEST", room, collected }, (requestId) => ({
      type: "WHO_REQUEST",
      version,
      requestId,
      room,
      offset: collected.length,
    }));
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
      case "CHAT_ECHO":
        this.receiveEcho(pdu);
        return;
      case "PONG":
        // Hearing anything at all is what keeps the server alive in our eyes; beyond that a
        // PONG only matters when it answers the logout barrier.
        if (this.barrier !== undefined && pdu.token === this.barrier.token) this.barrierPong();
        return;
      case "DIRECT_STATUS":
        this.receiveDirectStatus(pdu);
        return;
      case "DIRECT_MESSAGE":
        this.emit({
          kind: "direct-message",
          messageId: pdu.messageId,
          from: pdu.from,
          text: pdu.text,
        });
        return;
      case "ROOM_RESULT":
        this.receiveRoomResult(pdu);
        return;
      case "ROOM_MESSAGE":
        this.receiveRoomMessage(pdu);
        return;
      case "ROOM_EVENT":
        this.emit({ kind: "room-event", room: pdu.room, user: pdu.user, event: pdu.event });
        return;
      case "ROOM_LIST":
        this.receiveRoomList(pdu);
        return;
      case "WHO_LIST":
        this.receiveWhoList(pdu);
        return;
      case "TYPING_NOTICE":
        this.emit({
          kind: "typing",
          targetKind: pdu.targetKind,
          room: pdu.room,
          from: pdu.from,
          state: pdu.state,
        });
        return;
      case "PRESENCE_EVENT":
        this.emit({ kind: "presence", user: pdu.user, status: pdu.status });
        return;
      default:
        // classify() accepted a type this client has no handler for: the spec grew a
        // server-to-client message and this code did not follow. Refuse it without closing.
        this.rejectFromServer("UNEXPECTED_MESSAGE", `${pdu.type} has no handler in this client`);
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

  private receiveEcho(pdu: ChatEchoPdu): void {
    if (this.pending.take(pdu.messageId, ["CHAT"]) === undefined) {
      this.ignored("an echo for message id", pdu.messageId);
      return;
    }
    this.emit({ kind: "echo", messageId: pdu.messageId, text: pdu.text });
    this.settled();
  }

  private receiveDirectStatus(pdu: DirectStatusPdu): void {
    const request = this.pending.take(pdu.messageId, ["DIRECT_SEND"]);
    if (request === undefined) {
      this.ignored("a DIRECT_STATUS for message id", pdu.messageId);
      return;
    }
    this.emit({
      kind: "direct-status",
      messageId: pdu.messageId,
      to: request.to,
      status: pdu.status,
    });
    this.settled();
  }

  private receiveRoomResult(pdu: RoomResultPdu): void {
    if (pdu.requestId === 0) {
      // The refusal of a room TYPING (REQ-12.24): TYPINGs are not requests, nothing to settle.
      this.emit({ kind: "room-result", request: "TYPING", room: pdu.room, status: pdu.status });
      return;
    }
    const request = this.pending.take(pdu.requestId, ["ROOM_JOIN", "ROOM_LEAVE", "ROOM_SAY"]);
    if (request === undefined) {
      this.ignored("a ROOM_RESULT for request id", pdu.requestId);
      return;
    }
    this.emit({ kind: "room-result", request: request.kind, room: pdu.room, status: pdu.status });
    this.settled();
  }

  private receiveRoomMessage(pdu: RoomMessagePdu): void {
    // Our own ROOM_SAY comes back to us like to every member (REQ-12.16): that is its answer.
    const ours = pdu.from === this.username && this.pending.has(pdu.messageId, ["ROOM_SAY"]);
    if (ours) this.pending.take(pdu.messageId, ["ROOM_SAY"]);
    this.emit({
      kind: "room-message",
      messageId: pdu.messageId,
      room: pdu.room,
      from: pdu.from,
      text: pdu.text,
    });
    if (ours) this.settled();
  }

  private receiveRoomList(pdu: RoomListPdu): void {
    const request = this.pending.take(pdu.requestId, ["ROOM_LIST_REQUEST"]);
    if (request === undefined) {
      this.ignored("a ROOM_LIST for request id", pdu.requestId);
      return;
    }
    const collected = [...request.collected, ...pdu.rooms];
    if (this.wantsNextPage(pdu.rooms.length, collected.length, pdu.total)) {
      this.requestRoomPage(collected);
      return;
    }
    this.emit({ kind: "room-list", rooms: collected, complete: collected.length >= pdu.total });
    this.settled();
  }

  private receiveWhoList(pdu: WhoListPdu): void {
    const request = this.pending.take(pdu.requestId, ["WHO_REQUEST"]);
    if (request === undefined) {
      this.ignored("a WHO_LIST for request id", pdu.requestId);
      return;
    }
    const collected = [...request.collected, ...pdu.names];
    if (pdu.status === "OK" && this.wantsNextPage(pdu.names.length, collected.length, pdu.total)) {
      this.requestWhoPage(request.room, collected);
      return;
    }
    this.emit({
      kind: "who-list",
      room: pdu.room,
      status: pdu.status,
      names: collected,
      complete: pdu.status !== "OK" || collected.length >= pdu.total,
    });
    this.settled();
  }

  /**
   * Another page is wanted while the server says there are more names, the last page was not
   * empty (an empty one means the list shrank under us), the cap is not reached, and the
   * session can still send.
   */
  private wantsNextPage(pageLength: number, collected: number, total: number): boolean {
    return (
      pageLength > 0 &&
      collected < total &&
      collected < MAX_LISTED_NAMES &&
      this.endResult === undefined &&
      !this.loggingOut
    );
  }

  private ignored(what: string, id: number): void {
    this.notice(`ignored ${what} ${id}, which is not outstanding`);
  }

  private emit(event: SessionEvent): void {
    for (const listener of this.eventListeners) listener(event);
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
