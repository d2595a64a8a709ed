/**
 * A raw protocol peer: one connection to the server under test, with every byte that goes either way
 * recorded in a transcript. TCP and TLS are node:net / node:tls sockets (peer-wire.ts: so a reset is a
 * real RST and a dribbled byte waits for the kernel); any other transport kind (`--transport quic`)
 * is a ByteStream from transport/connect.ts's registry of dialers (transport/all-dialers.ts).
 *
 * The suite judges servers nobody on this team wrote, so it talks to them the way any client would: bytes
 * on a socket, framed and decoded only by the generated codec. Nothing here knows the protocol's flows;
 * `client-session.ts` builds those on top. Received input becomes a queue of events (a PDU, a frame that
 * did not decode, the end of the stream) that steps consume in order, so a step waits on what the server
 * actually did, never on a sleep.
 */
import type net from "node:net";
import { performance } from "node:perf_hooks";
import type { Pdu } from "../../generated/index.ts";
import {
  DecodeError,
  decode,
  encode,
  encodeUnchecked,
  FrameSplitter,
} from "../../generated/index.ts";
import type { ByteStream } from "../../transport/byte-stream.ts";
import { openWire, socketWire, type Wire } from "./peer-wire.ts";
import type { TargetAddress } from "./suite-parameters.ts";
import { Transcript } from "./transcript.ts";

/** Something the server did, in the order the peer saw it. */
export type PeerEvent =
  /** `seq` counts the frames of the connection from 0, in arrival order. */
  | { kind: "pdu"; pdu: Pdu; bytes: Uint8Array; at: number; seq: number }
  /** A whole frame arrived but the generated decoder refused it: the server sent something invalid. */
  | { kind: "undecodable"; bytes: Uint8Array; error: DecodeError; at: number; seq: number }
  /** The byte stream could not be framed at all (bad magic, oversized length); the rest is unreadable. */
  | { kind: "unframeable"; error: DecodeError; at: number }
  /** The server closed its side cleanly (TCP FIN, or TLS close). */
  | { kind: "eof"; at: number }
  /** The connection broke (RST or another socket error). */
  | { kind: "reset"; reason: string; at: number };

export type TerminalEvent = Extract<PeerEvent, { kind: "eof" | "reset" | "unframeable" }>;

/** What `next()` returns when nothing happened before its deadline. */
export interface TimeoutEvent {
  kind: "timeout";
  at: number;
}

function isTerminal(event: PeerEvent): event is TerminalEvent {
  return event.kind === "eof" || event.kind === "reset" || event.kind === "unframeable";
}

export class RawPeer {
  readonly transcript: Transcript;
  private readonly wire: Wire;
  private readonly stream: ByteStream;
  /** Whether we have ended our side (FIN): nothing more can be written. */
  private outputEnded = false;
  private readonly splitter = new FrameSplitter();
  private readonly queue: PeerEvent[] = [];
  private waiter: (() => void) | undefined;
  private terminal: TerminalEvent | undefined;
  /** Tokens of PINGs sent by the keep-alive loop; their PONGs are logged but not queued. */
  private readonly keepAliveTokens = new Set<number>();
  private keepAliveTimer: NodeJS.Timeout | undefined;
  private nextKeepAliveToken = 0xc0de0000;
  /** When connect() was called: the server cannot have accepted the connection earlier. */
  readonly connectStartedAt: number;
  /** When the connection was established: the server accepted it no later. */
  readonly connectedAt = performance.now();
  /** When the last complete frame was handed to the socket: the server cannot have received it earlier. */
  lastFrameSentAt = performance.now();
  /** When the last frame from the server arrived. */
  lastReceivedAt = 0;
  /** Whether the last bytes sent left a frame unfinished: anything sent next would be read as its rest. */
  midFrame = false;
  /** When the suite itself closed the connection (FIN or RST); the server learns of it some time later. */
  closedByUsAt: number | undefined;
  /** Frames received so far; the next frame's `seq`. */
  private framesReceived = 0;

  private constructor(
    wire: Wire,
    label: string,
    connectStartedAt: number,
    private readonly peerName: "server" | "client" = "server",
  ) {
    this.wire = wire;
    this.stream = wire.stream;
    this.connectStartedAt = connectStartedAt;
    this.transcript = new Transcript(label, peerName);
    this.stream.onData((chunk) => this.onData(chunk));
    this.stream.onEnd(() => {
      this.finish({ kind: "eof", at: performance.now() });
      // Half-open is only for our own half-close tests; once the server is done, so are we.
      this.endStream();
    });
    this.stream.onClose((info) => {
      const reason = info.hadError
        ? ((info.error as NodeJS.ErrnoException | undefined)?.code ??
          info.error?.message ??
          "reset")
        : "connection closed";
      this.finish({ kind: "reset", reason, at: performance.now() });
    });
  }

  /** Opens a connection; rejects with a readable message when the target cannot be reached. */
  static async connect(target: TargetAddress, label: string, timeoutMs: number): Promise<RawPeer> {
    const startedAt = performance.now();
    return new RawPeer(await openWire(target, timeoutMs), label, startedAt);
  }

  /**
   * Wraps a connection the suite opened itself to watch what lies under the byte stream (a
   * WebSocket's messages and close code, websocket-probe.ts).
   */
  static over(wire: Wire, label: string, connectStartedAt: number): RawPeer {
    return new RawPeer(wire, label, connectStartedAt);
  }

  /**
   * Wraps a connection the suite accepted, for the client suite (conformance/client/), where the suite
   * plays the server and the peer is the client under test. The socket must allow half-open.
   */
  static accept(socket: net.Socket, label: string): RawPeer {
    socket.setNoDelay(true);
    return new RawPeer(socketWire(socket), label, performance.now(), "client");
  }

  /** True once the server's side has ended or the connection broke. */
  get closed(): boolean {
    return this.terminal !== undefined;
  }

  /** Sends a PDU through the generated encoder (which enforces the spec's limits). */
  send(pdu: Pdu): boolean {
    return this.write(encode(pdu), describePdu(pdu));
  }

  /** Sends a PDU that may break a length limit, to see the server refuse it. */
  sendUnchecked(pdu: Pdu): boolean {
    return this.write(encodeUnchecked(pdu), `${describePdu(pdu)} (limits not checked)`);
  }

  /**
   * Sends bytes as they are: crafted frames, garbage, fragments. `completesFrame` says whether the bytes
   * end on a frame boundary, which is what restarts the server's ping-timeout clock (REQ-7.3).
   */
  sendRaw(bytes: Uint8Array, what: string, completesFrame = true): boolean {
    return this.write(bytes, what, completesFrame);
  }

  /**
   * Writes bytes one at a time, each in its own write that has reached the kernel before the next, so
   * the server sees the frame arrive in as many pieces as the network lets it.
   */
  async dribble(bytes: Uint8Array, what: string): Promise<void> {
    this.transcript.sent(bytes, `${what}, dribbled one byte per write`);
    let lastWriteAt = performance.now();
    for (const byte of bytes) {
      if (!this.writable()) return;
      lastWriteAt = performance.now();
      await this.wire.writeFlushed(Uint8Array.of(byte));
    }
    this.lastFrameSentAt = lastWriteAt;
  }

  /** Half-closes our side (TCP FIN) while still reading what the server sends. */
  endOutput(): void {
    this.transcript.note("sent FIN (half-close)");
    this.closedByUsAt ??= performance.now();
    this.endStream();
  }

  /** Closes abruptly with a TCP RST, as a crashed client or a pulled cable would look to the server. */
  reset(): void {
    this.transcript.note("closed abruptly (RST)");
    this.closedByUsAt ??= performance.now();
    this.stopKeepAlive();
    this.wire.reset();
  }

  /**
   * Stops reading from the socket, so what the server writes backs up: first in the kernel's buffers,
   * then in the server itself. Backpressure scenarios check that nothing is lost or reordered then.
   */
  pauseReading(): void {
    this.transcript.note("stopped reading");
    this.stream.pauseReading();
  }

  resumeReading(): void {
    this.transcript.note("reading again");
    this.stream.resumeReading();
  }

  /** Bytes written here that the kernel has not taken yet: the server is not reading them. */
  get unsentBytes(): number {
    return this.wire.unsentBytes();
  }

  /** Tears the connection down without a word; used when a scenario is over. */
  destroy(): void {
    this.stopKeepAlive();
    this.stream.destroy();
  }

  /**
   * Sends PING every `intervalMs`, the way a well-behaved client keeps a session alive while a scenario
   * does something slow elsewhere. The PONGs are recorded but not queued, so steps only see replies to
   * what they sent themselves.
   */
  startKeepAlive(intervalMs: number, version: number): void {
    this.stopKeepAlive();
    this.keepAliveTimer = setInterval(() => {
      if (!this.writable()) return this.stopKeepAlive();
      const token = this.nextKeepAliveToken++;
      this.keepAliveTokens.add(token);
      this.write(encode({ type: "PING", version, token }), `PING token=${token} (keep-alive)`);
    }, intervalMs);
    this.keepAliveTimer.unref();
  }

  /**
   * Keeps a version 2 session alive with a PDU the server never answers and that changes nothing
   * (PRESENCE_SUBSCRIBE OFF from a session that never subscribed, REQ-12.32), for a session that reads nothing meanwhile: a PONG would be an answer backed up
   * behind what it does not read, which lets a server stop reading it (§7.1), while a frame with no
   * answer must go on being read (REQ-12.41).
   */
  startUnansweredKeepAlive(intervalMs: number): void {
    this.stopKeepAlive();
    this.keepAliveTimer = setInterval(() => {
      if (!this.writable()) return this.stopKeepAlive();
      const pdu: Pdu = { type: "PRESENCE_SUBSCRIBE", version: 2, enabled: "OFF" };
      this.write(encode(pdu), "PRESENCE_SUBSCRIBE OFF (keep-alive that is never answered)");
    }, intervalMs);
    this.keepAliveTimer.unref();
  }

  stopKeepAlive(): void {
    if (this.keepAliveTimer) clearInterval(this.keepAliveTimer);
    this.keepAliveTimer = undefined;
  }

  /**
   * The next event, or a timeout event if nothing arrives within `timeoutMs`. Once the stream has ended,
   * every later call returns that end again.
   */
  next(timeoutMs: number): Promise<PeerEvent | TimeoutEvent> {
    return this.take(() => true, timeoutMs);
  }

  /**
   * The first queued or arriving event that `matches`, leaving the others queued in their order; the end
   * of the stream if it comes first, or a timeout event. Version 2 sessions receive PDUs caused by other
   * sessions at times the spec does not fix relative to their own replies, so a step takes what it
   * expects wherever it is in the queue; the PING barrier (ClientSession.expectServed) afterwards shows
   * anything left over.
   */
  async take(
    matches: (event: PeerEvent) => boolean,
    timeoutMs: number,
  ): Promise<PeerEvent | TimeoutEvent> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const index = this.queue.findIndex(matches);
      if (index >= 0) return this.queue.splice(index, 1)[0]!;
      if (this.terminal) return this.terminal;
      const remaining = deadline - performance.now();
      if (remaining <= 0) return { kind: "timeout", at: performance.now() };
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.waiter = undefined;
          resolve();
        }, remaining);
        this.waiter = () => {
          clearTimeout(timer);
          this.waiter = undefined;
          resolve();
        };
      });
    }
  }

  /** The events received and not yet taken, oldest first. */
  get pending(): readonly PeerEvent[] {
    return this.queue;
  }

  /** Puts an event back in front of the queue, for a step that had to look before choosing its judge. */
  unread(event: PeerEvent | TimeoutEvent): void {
    if (event.kind === "timeout" || isTerminal(event)) return;
    this.queue.unshift(event);
  }

  private writable(): boolean {
    return !this.stream.closed && !this.outputEnded;
  }

  private endStream(): void {
    this.outputEnded = true;
    this.stream.end();
  }

  private write(bytes: Uint8Array, what: string, completesFrame = true): boolean {
    if (!this.writable()) {
      this.transcript.note(`not sent, connection already closed: ${what}`);
      return false;
    }
    this.transcript.sent(bytes, what);
    // Read before the write: the server may have the bytes before write() returns, and a deadline it
    // counts from them must not look early (timed-close.ts allows no slack on the early side).
    const at = performance.now();
    this.stream.write(bytes);
    this.midFrame = !completesFrame;
    if (completesFrame) this.lastFrameSentAt = at;
    return true;
  }

  private onData(chunk: Uint8Array): void {
    if (this.terminal?.kind === "unframeable") {
      this.transcript.received(chunk, "bytes after the stream became unframeable");
      return;
    }
    let frames: Uint8Array[];
    try {
      frames = this.splitter.push(chunk);
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      this.transcript.received(chunk, `unframeable: ${error.code} (${error.reason})`);
      this.finish({ kind: "unframeable", error, at: performance.now() });
      return;
    }
    for (const frame of frames) this.onFrame(frame);
  }

  private onFrame(frame: Uint8Array): void {
    const at = performance.now();
    const seq = this.framesReceived++;
    this.lastReceivedAt = at;
    let pdu: Pdu;
    try {
      pdu = decode(frame);
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      this.transcript.received(frame, `undecodable frame: ${error.code} (${error.reason})`);
      this.push({ kind: "undecodable", bytes: frame, error, at, seq });
      return;
    }
    if (pdu.type === "PONG" && this.keepAliveTokens.delete(pdu.token)) {
      this.transcript.received(frame, `${describePdu(pdu)} (keep-alive)`);
      return;
    }
    this.transcript.received(frame, describePdu(pdu));
    this.push({ kind: "pdu", pdu, bytes: frame, at, seq });
  }

  private finish(event: TerminalEvent): void {
    if (this.terminal) return;
    this.stopKeepAlive();
    this.terminal = event;
    this.transcript.note(
      event.kind === "eof"
        ? `${this.peerName} closed the connection (FIN)`
        : event.kind === "reset"
          ? `connection broke: ${event.reason}`
          : `stream unframeable: ${event.error.code}`,
    );
    this.waiter?.();
  }

  private push(event: PeerEvent): void {
    this.queue.push(event);
    this.waiter?.();
  }
}

export function isTerminalEvent(event: PeerEvent | TimeoutEvent): event is TerminalEvent {
  return event.kind !== "timeout" && isTerminal(event);
}

/** One line naming a PDU and its fields, for transcripts and failure messages. */
export function describePdu(pdu: Pdu): string {
  const { type, version, ...fields } = pdu;
  const shown = JSON.stringify(fields, (_key, value) =>
    typeof value === "string" && value.length > 80
      ? `${value.slice(0, 40)}…(${Buffer.byteLength(value)} bytes)`
      : value,
  );
  return `${type} v${version} ${shown}`;
}
