/**
 * RawPeer for test/: the suite's raw peer (conformance/support/raw-peer.ts, the one that frames,
 * decodes and records every byte) with the terse, throwing expectations node:test tests want.
 * Tests send anything (including what a real client never would) and assert on exactly what comes
 * back; crafted invalid frames go out through `sendFrame`.
 *
 * Waits are bounded only as a hang guard: when one gives up, the error shows the connection's
 * whole transcript, which is what you want to read when a test fails.
 */
import { performance } from "node:perf_hooks";
import { streamWire } from "../../conformance/support/peer-wire.ts";
import {
  describePdu,
  type PeerEvent,
  RawPeer as WirePeer,
} from "../../conformance/support/raw-peer.ts";
import type { ErrorCodeName, MessageTypeName, Pdu, PduOfType } from "../../generated/index.ts";
import type { ByteStream } from "../../transport/byte-stream.ts";
import { type ConnectOptions, connect } from "../../transport/connect.ts";
import type { BoundAddress } from "../../transport/listener.ts";

export type { PeerEvent } from "../../conformance/support/raw-peer.ts";

const HANG_GUARD_MS = 10_000;

export class RawPeer {
  private readonly wire: WirePeer;
  private readonly closedPromise: Promise<void>;
  private negotiated = 0;
  private pingToken = 0x7000_0000;

  private constructor(stream: ByteStream, connectStartedAt: number) {
    this.closedPromise = new Promise((resolve) => {
      if (stream.closed) resolve();
      else stream.onClose(() => resolve());
    });
    this.wire = WirePeer.over(streamWire(stream), "test peer", connectStartedAt);
  }

  /** Dials through transport/connect.ts, so a refused connection rejects with its TransportError. */
  static async connect(address: BoundAddress, options: ConnectOptions = {}): Promise<RawPeer> {
    const startedAt = performance.now();
    return new RawPeer(await connect(address.host, address.port, options), startedAt);
  }

  /** A peer on a stream of any transport (e.g. one end of a memoryStreamPair). */
  static over(stream: ByteStream): RawPeer {
    return new RawPeer(stream, performance.now());
  }

  /** The header version this peer writes on PDUs after negotiation. */
  get version(): number {
    return this.negotiated;
  }

  send(pdu: Pdu): void {
    this.wire.send(pdu);
  }

  sendFrame(frame: Uint8Array): void {
    this.wire.sendRaw(frame, "a crafted frame");
  }

  /** Stops reading, so what the server writes backs up (the kernel's buffers, then the server). */
  pauseReading(): void {
    this.wire.pauseReading();
  }

  resumeReading(): void {
    this.wire.resumeReading();
  }

  /** Half-closes our side (FIN) while still reading what the server sends. */
  endOutput(): void {
    this.wire.endOutput();
  }

  /** The next event, whatever it is; the end of the stream once it has come, again and again. */
  async next(): Promise<PeerEvent> {
    const event = await this.wire.next(HANG_GUARD_MS);
    if (event.kind === "timeout") {
      throw new Error(`nothing more arrived within ${HANG_GUARD_MS} ms; ${this.describe()}`);
    }
    return event;
  }

  /** The next event must be a PDU of `type`. */
  async expect<T extends MessageTypeName>(type: T): Promise<PduOfType<T>> {
    const event = await this.next();
    if (event.kind !== "pdu" || event.pdu.type !== type) {
      throw new Error(`expected ${type}, got ${show(event)}; ${this.describe()}`);
    }
    return event.pdu as PduOfType<T>;
  }

  /** The next event must be ERROR `code`. */
  async expectError(code: ErrorCodeName): Promise<PduOfType<"ERROR">> {
    const error = await this.expect("ERROR");
    if (error.code !== code)
      throw new Error(`expected ERROR ${code}, got ${error.code}; ${this.describe()}`);
    return error;
  }

  /** The server closes: nothing but the end of the stream (FIN, or a reset) comes next. */
  async expectClosed(): Promise<void> {
    const event = await this.next();
    if (event.kind !== "eof" && event.kind !== "reset") {
      throw new Error(`expected the connection to close, got ${show(event)}; ${this.describe()}`);
    }
  }

  /** Resolves once the connection is fully closed, skipping nothing: every PDU must be consumed. */
  closed(): Promise<void> {
    return this.closedPromise;
  }

  async negotiate(versions: number[] = [1]): Promise<PduOfType<"VERSION_RESPONSE">> {
    this.send({ type: "VERSION_REQUEST", version: 0, versions });
    const response = await this.expect("VERSION_RESPONSE");
    if (response.status === "OK") this.negotiated = response.chosenVersion;
    return response;
  }

  async login(username: string, password: string): Promise<PduOfType<"LOGIN_RESPONSE">> {
    this.send({ type: "LOGIN_REQUEST", version: this.negotiated, username, password });
    return this.expect("LOGIN_RESPONSE");
  }

  /** Negotiates (offering `versions`) and logs in; fails the test unless both succeed. */
  async negotiateAndLogin(username: string, password: string, versions?: number[]): Promise<void> {
    const negotiation = await this.negotiate(versions);
    if (negotiation.status !== "OK")
      throw new Error(`negotiation failed: ${describePdu(negotiation)}`);
    const login = await this.login(username, password);
    if (login.status !== "OK")
      throw new Error(`login as ${username} failed: ${login.status} ${login.text}`);
  }

  /** Sends a CHAT and returns its echo (which must come next). */
  async chat(messageId: number, text: string): Promise<PduOfType<"CHAT_ECHO">> {
    this.send({ type: "CHAT", version: this.negotiated, messageId, text });
    return this.expect("CHAT_ECHO");
  }

  async ping(token: number): Promise<PduOfType<"PONG">> {
    this.send({ type: "PING", version: this.negotiated, token });
    return this.expect("PONG");
  }

  /**
   * Synchronises on the protocol: sends a PING and returns every PDU that arrived before its
   * PONG. Whatever the server sent this peer before handling the PING is in there, so an empty
   * result proves nothing was sent (the server handles a connection's PDUs in order).
   */
  async drain(): Promise<Pdu[]> {
    const token = ++this.pingToken;
    this.send({ type: "PING", version: this.negotiated, token });
    const before: Pdu[] = [];
    for (;;) {
      const event = await this.next();
      if (event.kind !== "pdu") {
        throw new Error(
          `expected PDUs up to PONG ${token}, got ${show(event)}; ${this.describe()}`,
        );
      }
      if (event.pdu.type === "PONG" && event.pdu.token === token) return before;
      before.push(event.pdu);
    }
  }

  /** The next `count` events must all be PDUs; returns them. */
  async take(count: number): Promise<Pdu[]> {
    const pdus: Pdu[] = [];
    while (pdus.length < count) {
      const event = await this.next();
      if (event.kind !== "pdu") {
        throw new Error(`expected ${count} PDUs, got ${show(event)}; ${this.describe()}`);
      }
      pdus.push(event.pdu);
    }
    return pdus;
  }

  /** LOGOUT, then wait for the server's EOF: from then on the login is free. */
  async logout(): Promise<void> {
    this.send({ type: "LOGOUT", version: this.negotiated });
    await this.expectClosed();
  }

  destroy(): void {
    this.wire.destroy();
  }

  /** Everything sent and received so far, decoded and in hex. */
  describe(): string {
    return this.wire.transcript.format();
  }
}

function show(event: PeerEvent): string {
  switch (event.kind) {
    case "pdu":
      return describePdu(event.pdu);
    case "undecodable":
    case "unframeable":
      return `${event.kind} ${event.error.code}`;
    case "eof":
      return "the end of the stream";
    case "reset":
      return `a reset (${event.reason})`;
  }
}
