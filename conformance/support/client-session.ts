/**
 * One client connection as the scenarios think of it: a RawPeer plus what the protocol says about it so
 * far (negotiated version, advertised timers, who is logged in), and the expectations steps make of the
 * server's next move.
 *
 * Every expectation reads the next event and judges it; nothing is skipped over except the keep-alive
 * PONGs RawPeer already set aside. So "expect PONG" after a CHAT also proves no stray PDU came first, and a
 * failure shows the connection's whole transcript.
 */

import { performance } from "node:perf_hooks";
import type {
  ErrorCodeName,
  LoginResponsePdu,
  MessageTypeName,
  Pdu,
  PduOfType,
  VersionResponsePdu,
} from "../../generated/index.ts";
import { ERRORS, SUPPORTED_VERSIONS } from "../../generated/index.ts";
import { blame, ConformanceFailure } from "./conformance-failure.ts";
import {
  describePdu,
  isTerminalEvent,
  type PeerEvent,
  type RawPeer,
  type TerminalEvent,
} from "./raw-peer.ts";
import type { SuiteParameters } from "./suite-parameters.ts";
import { outOfVersionRequirement, pduSince } from "./version-scope.ts";

export class ClientSession {
  /** The version agreed in negotiation; null before (header version 0 until then). */
  negotiatedVersion: number | null = null;
  /** The VERSION_RESPONSE that agreed it: the server's timers and versions. */
  advertised: VersionResponsePdu | undefined;
  /** The account this connection holds, once LOGIN_RESPONSE OK arrived. */
  user: string | undefined;
  /** Every account this connection has held, for leftover-logins.ts. */
  readonly heldLogins = new Set<string>();
  /** The versions of the last VERSION_REQUEST sent, and the VERSION_RESPONSE to it. */
  offered: number[] = [];
  versionResponse: VersionResponsePdu | undefined;
  /** The answer to the last login, and the answers of a run of repeated attempts. */
  lastLogin: LoginResponsePdu | undefined;
  attempts: LoginResponsePdu[] = [];
  /** (v3) The SESSION_INFO after a version-3 login, and the stored direct messages it announced. */
  sessionInfo: PduOfType<"SESSION_INFO"> | undefined;
  storedMessages: PduOfType<"DIRECT_MESSAGE_V3">[] = [];
  private pendingUser: string | undefined;
  private nextToken = 1;
  private nextRequestId = 0x5e70_0000;

  constructor(
    readonly name: string,
    readonly peer: RawPeer,
    readonly parameters: SuiteParameters,
  ) {}

  /** The header version the spec requires on this connection's PDUs right now. */
  get headerVersion(): number {
    return this.negotiatedVersion ?? 0;
  }

  /** Throws a failure showing this connection's transcript (and any others involved). */
  fail(message: string, others: readonly ClientSession[] = [], requirement?: string): never {
    throw new ConformanceFailure(
      `connection "${this.name}": ${message}`,
      [this.peer.transcript, ...others.filter((o) => o !== this).map((o) => o.peer.transcript)],
      requirement,
    );
  }

  /** The next thing the server did; a failure if it did nothing within `timeoutMs`. */
  async nextEvent(what: string, timeoutMs = this.parameters.replyTimeoutMs): Promise<PeerEvent> {
    const event = await this.peer.next(timeoutMs);
    if (event.kind === "timeout") {
      this.fail(`waited ${Math.round(timeoutMs)} ms for ${what}; the server sent nothing`);
    }
    return event;
  }

  /** The next event must be a PDU of `type`, carrying the header version the spec requires here. */
  async expectPdu<T extends MessageTypeName>(
    type: T,
    what: string = type,
    timeoutMs?: number,
  ): Promise<PduOfType<T>> {
    const event = await this.nextEvent(what, timeoutMs);
    if (event.kind === "pdu") this.checkVersionScope(event.pdu);
    if (event.kind !== "pdu" || event.pdu.type !== type) {
      this.fail(`expected ${what}, got ${describeEvent(event)}`, [], blameFor(event));
    }
    this.checkHeaderVersion(event.pdu);
    return event.pdu as PduOfType<T>;
  }

  /**
   * The first PDU of `type` that `matches`, wherever it is among those not read yet; the others stay
   * queued in their order. For PDUs that other sessions cause (fan-out), whose arrival the spec does not
   * order against this connection's own replies. Returns the PDU with its arrival position (`seq`), for
   * the order checks the spec does make.
   */
  async awaitPdu<T extends MessageTypeName>(
    type: T,
    matches: (pdu: PduOfType<T>) => boolean,
    what: string,
    timeoutMs = this.parameters.replyTimeoutMs,
  ): Promise<{ pdu: PduOfType<T>; seq: number; at: number }> {
    const event = await this.peer.take(
      (e) =>
        e.kind === "undecodable" ||
        (e.kind === "pdu" && e.pdu.type === type && matches(e.pdu as PduOfType<T>)),
      timeoutMs,
    );
    if (event.kind === "timeout") {
      this.fail(
        `waited ${Math.round(timeoutMs)} ms for ${what}; it did not come. ${this.describePending()}`,
      );
    }
    if (event.kind !== "pdu") {
      this.fail(`expected ${what}, got ${describeEvent(event)}`, [], blameFor(event));
    }
    this.checkVersionScope(event.pdu);
    this.checkHeaderVersion(event.pdu);
    return { pdu: event.pdu as PduOfType<T>, seq: event.seq, at: event.at };
  }

  /** What arrived and was not taken yet, for failure messages. */
  describePending(): string {
    const pending = this.peer.pending;
    if (pending.length === 0) return "Nothing else is waiting to be read.";
    return `Received and not yet read: ${pending.map(describeEvent).join("; ")}.`;
  }

  /**
   * A PDU that does not exist in the version in effect here is wrong whatever was expected, and is
   * pinned on the rule it breaks (REQ-12.3 for version 2 traffic on a version 1 connection).
   */
  private checkVersionScope(pdu: Pdu): void {
    const inEffect = this.negotiatedVersion ?? 1;
    const since = pduSince(pdu);
    if (since > inEffect) {
      this.fail(
        `the server sent ${describePdu(pdu)}, which exists only from protocol version ${since}; ` +
          `this connection ${this.negotiatedVersion === null ? "has not negotiated (version 1 rules)" : `negotiated version ${inEffect}`}`,
        [],
        outOfVersionRequirement(since, inEffect),
      );
    }
  }

  private checkHeaderVersion(pdu: Pdu): void {
    const expectedVersion = pdu.type === "VERSION_RESPONSE" ? 0 : this.headerVersion;
    if (pdu.version !== expectedVersion) {
      this.fail(
        `${pdu.type} carried header version ${pdu.version}; the spec requires ${expectedVersion} ` +
          (this.negotiatedVersion === null ? "before negotiation" : "(the negotiated version)"),
        [],
        "REQ-4.9",
      );
    }
  }

  /** The server must close the connection next (FIN or RST, either is a close). */
  async expectClosed(what: string, requirement?: string): Promise<TerminalEvent> {
    const event = await this.nextEvent(what);
    if (event.kind === "eof" || event.kind === "reset") return event;
    this.fail(`expected ${what}, got ${describeEvent(event)}`, [], blameFor(event) ?? requirement);
  }

  /**
   * The server's reaction to an error, as the spec's error table says: ERROR `code`, then a close if the
   * code closes, else the connection goes on (proved by a round trip). Where the spec allows several
   * reactions, each is accepted: a closing ERROR may be lost to a RST, since the server closes right after
   * writing it.
   */
  async expectErrorReaction(code: ErrorCodeName): Promise<void> {
    const closes = ERRORS[code].closes;
    const what = `ERROR ${code}${closes ? " followed by a close" : ""}`;
    const event = await this.nextEvent(what);
    if (closes && event.kind === "reset") {
      this.peer.transcript.note(`accepted: connection reset before ERROR ${code} could be read`);
      return;
    }
    if (event.kind !== "pdu" || event.pdu.type !== "ERROR" || event.pdu.code !== code) {
      this.fail(`expected ${what}, got ${describeEvent(event)}`, [], blameFor(event));
    }
    this.checkVersionScope(event.pdu);
    if (event.pdu.version !== this.headerVersion) {
      this.fail(
        `ERROR carried header version ${event.pdu.version}; the connection's is ${this.headerVersion}`,
        [],
        "REQ-4.9",
      );
    }
    if (closes) {
      await this.expectClosed(`the close that must follow ERROR ${code}`, "REQ-8.3");
    } else {
      await blame("REQ-8.4", () =>
        this.expectServed(`the connection to go on after ERROR ${code}, which does not close`),
      );
    }
  }

  /**
   * Proves the server still serves this connection and sent nothing unasked in between: a PING answered
   * by its PONG as the very next PDU. Before negotiation a PING is not allowed, so negotiating proves it.
   */
  async expectServed(why = "the connection to be served"): Promise<void> {
    if (this.negotiatedVersion === null) {
      this.peer.send({ type: "VERSION_REQUEST", version: 0, versions: [...SUPPORTED_VERSIONS] });
      const response = await this.expectPdu("VERSION_RESPONSE", `VERSION_RESPONSE (${why})`);
      if (response.status !== "OK") this.fail(`negotiation failed: ${describePdu(response)}`);
      this.adopt(response);
      return;
    }
    await this.pingRoundTrip(this.takeToken(), why);
  }

  /** Sends PING `token` and expects its PONG next. */
  async pingRoundTrip(token: number, why = "a PONG"): Promise<void> {
    this.peer.send({ type: "PING", version: this.headerVersion, token });
    const pong = await this.expectPdu("PONG", `PONG token=${token} (${why})`);
    if (pong.token !== token)
      this.fail(`PONG carried token ${pong.token}; the PING's was ${token}`);
  }

  /** Sends CHAT and expects its CHAT_ECHO next: same id, same text byte for byte. */
  async chatRoundTrip(messageId: number, text: string): Promise<void> {
    this.peer.send({ type: "CHAT", version: this.headerVersion, messageId, text });
    await this.expectEcho(messageId, text);
  }

  async expectEcho(messageId: number, text: string): Promise<void> {
    const echo = await this.expectPdu("CHAT_ECHO", `CHAT_ECHO of message ${messageId}`);
    if (echo.messageId !== messageId) {
      this.fail(`CHAT_ECHO carried message id ${echo.messageId}; expected ${messageId}`);
    }
    if (echo.text !== text) {
      this.fail(
        `CHAT_ECHO ${messageId} text differs: sent ${JSON.stringify(text)} ` +
          `(${Buffer.byteLength(text)} bytes), got ${JSON.stringify(echo.text)} ` +
          `(${Buffer.byteLength(echo.text)} bytes)`,
      );
    }
  }

  /** Sends VERSION_REQUEST; `readVersionResponse` reads the answer. */
  offerVersions(versions: readonly number[]): void {
    this.offered = [...versions];
    this.peer.send({ type: "VERSION_REQUEST", version: 0, versions: [...versions] });
  }

  /** Reads VERSION_RESPONSE and, when it is OK, adopts the chosen version and the timers. */
  async readVersionResponse(): Promise<VersionResponsePdu> {
    const response = await this.expectPdu("VERSION_RESPONSE");
    this.versionResponse = response;
    if (response.status === "OK") this.adopt(response);
    return response;
  }

  async negotiate(versions: readonly number[]): Promise<VersionResponsePdu> {
    this.offerVersions(versions);
    return this.readVersionResponse();
  }

  sendLogin(username: string, password: string, version = this.headerVersion): void {
    this.markPendingLogin(username);
    this.peer.send({ type: "LOGIN_REQUEST", version, username, password });
  }

  /** For LOGIN_REQUESTs sent by other means (dribbled, batched): whose login the next answer is. */
  markPendingLogin(username: string): void {
    this.pendingUser = username;
  }

  /** Reads LOGIN_RESPONSE; on OK this connection now holds the user's login. */
  async readLoginResponse(): Promise<LoginResponsePdu> {
    const response = await this.expectPdu(
      "LOGIN_RESPONSE",
      `LOGIN_RESPONSE to ${this.pendingUser}'s login`,
    );
    this.lastLogin = response;
    if (response.status === "OK" && this.pendingUser !== undefined) {
      this.user = this.pendingUser;
      this.heldLogins.add(this.pendingUser);
    }
    if (response.status === "OK" && this.negotiatedVersion === 3) await this.readSessionInfo();
    return response;
  }

  /** REQ-15.14, REQ-15.20: SESSION_INFO comes right after a version-3 login, then the stored DMs. */
  private async readSessionInfo(): Promise<void> {
    this.sessionInfo = await this.expectPdu(
      "SESSION_INFO",
      "SESSION_INFO right after LOGIN_RESPONSE OK",
    );
    this.storedMessages = [];
    for (let i = 0; i < this.sessionInfo.storedCount; i++) {
      this.storedMessages.push(
        await this.expectPdu(
          "DIRECT_MESSAGE_V3",
          `stored direct message ${i + 1} of ${this.sessionInfo.storedCount}`,
        ),
      );
    }
  }

  async login(username: string, password: string): Promise<LoginResponsePdu> {
    this.sendLogin(username, password);
    return this.readLoginResponse();
  }

  /** LOGOUT, then the close: the spec frees the login before closing, so the close means it is free. */
  async logout(): Promise<void> {
    this.peer.stopKeepAlive();
    this.peer.send({ type: "LOGOUT", version: this.headerVersion });
    await this.expectClosed("the server closing the connection after LOGOUT");
    this.user = undefined;
  }

  /**
   * Ends the connection at the end of a scenario: LOGOUT if it holds a login, then waits (bounded) for the
   * server's close, whatever arrives before it, so the next scenario finds the account free.
   */
  async closeQuietly(timeoutMs: number): Promise<void> {
    this.peer.stopKeepAlive();
    // A LOGOUT behind an unfinished frame would only be read as the rest of it; closing frees the login.
    if (this.user !== undefined && !this.peer.closed && !this.peer.midFrame) {
      this.peer.send({ type: "LOGOUT", version: this.headerVersion });
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const event = await this.peer.next(deadline - performance.now());
        if (event.kind === "timeout" || isTerminalEvent(event)) break;
      }
    }
    this.peer.destroy();
  }

  /** Keeps the session alive at the advertised interval while a scenario works elsewhere. */
  keepAlive(): void {
    if (this.advertised && this.negotiatedVersion !== null) {
      this.peer.startKeepAlive(this.advertised.pingIntervalMs, this.negotiatedVersion);
    }
  }

  /** Keeps a version 2 session that reads nothing alive without answers (RawPeer). */
  keepAliveUnanswered(): void {
    if (this.advertised && this.negotiatedVersion === 2) {
      this.peer.startUnansweredKeepAlive(this.advertised.pingIntervalMs / 2);
    }
  }

  /** A PING token not used before on this connection. */
  takeToken(): number {
    return this.nextToken++;
  }

  /**
   * A request or message id for PDUs a step sends on its own account (setting up rooms, listing pages);
   * far from the small ids scenarios write out, so the two never meet.
   */
  takeRequestId(): number {
    return this.nextRequestId++;
  }

  private adopt(response: VersionResponsePdu): void {
    this.negotiatedVersion = response.chosenVersion;
    this.advertised = response;
  }
}

/** Frames the server should never have sent are a fault of their own, whatever the step expected. */
function blameFor(event: PeerEvent): string | undefined {
  return event.kind === "undecodable" || event.kind === "unframeable" ? "REQ-3.1" : undefined;
}

/** Says in words what the server did, for failure messages. */
export function describeEvent(event: PeerEvent): string {
  switch (event.kind) {
    case "pdu":
      return describePdu(event.pdu);
    case "undecodable":
      return `a frame the codec rejects (${event.error.code}: ${event.error.reason})`;
    case "unframeable":
      return `bytes that cannot be framed (${event.error.code}: ${event.error.reason})`;
    case "eof":
      return "the server closing the connection (FIN)";
    case "reset":
      return `the connection breaking (${event.reason})`;
  }
}
