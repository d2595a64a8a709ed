/**
 * RawPeer: a test client that speaks the protocol one PDU at a time, so tests can send anything
 * (including what a real client never would) and assert on exactly what comes back. It uses the
 * transport layer and the generated codec; crafted invalid frames go out through `sendFrame`.
 *
 * Waits are bounded only as a hang guard: when one gives up, the error lists every event seen on
 * the connection, which is what you want to read when a test fails.
 */
import type { ErrorCodeName, MessageTypeName, Pdu, PduOfType } from "../../generated/index.ts";
import type { ByteStream } from "../../transport/byte-stream.ts";
import { type ConnectOptions, connect } from "../../transport/connect.ts";
import type { BoundAddress } from "../../transport/listener.ts";
import { PduChannel } from "../../transport/pdu-channel.ts";

export type PeerEvent =
  | { kind: "pdu"; pdu: Pdu }
  | { kind: "decode-error"; code: ErrorCodeName }
  | { kind: "end" }
  | { kind: "closed"; hadError: boolean };

const HANG_GUARD_MS = 10_000;

export class RawPeer {
  readonly channel: PduChannel;
  /** Every event so far, for failure messages. */
  readonly seen: PeerEvent[] = [];
  private readonly queue: PeerEvent[] = [];
  private waiter: (() => void) | undefined;
  private negotiated = 0;
  private pingToken = 0x7000_0000;

  private constructor(channel: PduChannel) {
    this.channel = channel;
    channel.onPdu((pdu) => this.push({ kind: "pdu", pdu }));
    channel.onDecodeError((error) => this.push({ kind: "decode-error", code: error.code }));
    channel.onEnd(() => this.push({ kind: "end" }));
    channel.onClose((info) => this.push({ kind: "closed", hadError: info.hadError }));
  }

  static async connect(address: BoundAddress, options: ConnectOptions = {}): Promise<RawPeer> {
    return new RawPeer(new PduChannel(await connect(address.host, address.port, options)));
  }

  /** A peer on a stream of any transport (e.g. one end of a memoryStreamPair). */
  static over(stream: ByteStream): RawPeer {
    return new RawPeer(new PduChannel(stream));
  }

  /** The header version this peer writes on PDUs after negotiation. */
  get version(): number {
    return this.negotiated;
  }

  send(pdu: Pdu): void {
    this.channel.send(pdu);
  }

  sendFrame(frame: Uint8Array): void {
    this.channel.sendFrame(frame);
  }

  /** The next event, whatever it is. */
  next(): Promise<PeerEvent> {
    const event = this.queue.shift();
    if (event !== undefined) return Promise.resolve(event);
    return new Promise((resolve, reject) => {
      const guard = setTimeout(() => {
        this.waiter = undefined;
        reject(new Error(`nothing more arrived; seen so far:\n${this.describe()}`));
      }, HANG_GUARD_MS);
      this.waiter = () => {
        clearTimeout(guard);
        this.waiter = undefined;
        resolve(this.queue.shift()!);
      };
    });
  }

  /** The next event must be a PDU of `type`. */
  async expect<T extends MessageTypeName>(type: T): Promise<PduOfType<T>> {
    const event = await this.next();
    if (event.kind !== "pdu" || event.pdu.type !== type) {
      throw new Error(`expected ${type}, got ${show(event)}; seen so far:\n${this.describe()}`);
    }
    return event.pdu as PduOfType<T>;
  }

  /** The next event must be ERROR `code`. */
  async expectError(code: ErrorCodeName): Promise<PduOfType<"ERROR">> {
    const error = await this.expect("ERROR");
    if (error.code !== code)
      throw new Error(`expected ERROR ${code}, got ${error.code}; seen:\n${this.describe()}`);
    return error;
  }

  /** The server closes: nothing but the end of the stream (FIN, or a reset) comes next. */
  async expectClosed(): Promise<void> {
    const event = await this.next();
    if (event.kind !== "end" && event.kind !== "closed") {
      throw new Error(
        `expected the connection to close, got ${show(event)}; seen:\n${this.describe()}`,
      );
    }
  }

  /** Resolves once the connection is fully closed, skipping nothing: every PDU must be consumed. */
  async closed(): Promise<void> {
    await this.channel.closedPromise;
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
      throw new Error(`negotiation failed: ${show({ kind: "pdu", pdu: negotiation })}`);
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
          `expected PDUs up to PONG ${token}, got ${show(event)}; seen:\n${this.describe()}`,
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
        throw new Error(`expected ${count} PDUs, got ${show(event)}; seen:\n${this.describe()}`);
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
    this.channel.destroy();
  }

  describe(): string {
    return this.seen.map((event) => `  ${show(event)}`).join("\n") || "  (nothing)";
  }

  private push(event: PeerEvent): void {
    this.seen.push(event);
    this.queue.push(event);
    this.waiter?.();
  }
}

function show(event: PeerEvent): string {
  return event.kind === "pdu" ? JSON.stringify(event.pdu) : JSON.stringify(event);
}
