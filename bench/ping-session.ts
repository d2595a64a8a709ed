/**
 * One idle logged-in session for the session-scale bench: it does nothing but keep itself alive the way
 * REQ-7.1 asks (a PING at least every advertised ping_interval_ms from the VERSION_RESPONSE on, also while
 * its login is being verified), checks each PONG, and remembers how it ended. `silence()` turns it into a
 * dead client the quiet way: the socket stays open, the client just stops sending, which is what a crashed
 * app behind a NAT looks like to the server. The server must then notice on its own (ERROR PING_TIMEOUT).
 *
 * Without credentials it is the same traffic against the raw echo server (no login, the PING comes back
 * as itself), the baseline for what holding and pinging a connection costs any Node.js server.
 */
import { decode, encode } from "../generated/index.ts";
import { FrameSocket, type FrameSocketOptions } from "./frame-socket.ts";
import { type Credentials, logIn, logOut } from "./parrot-login.ts";

export interface SessionEnd {
  /** performance.now() when the server's ERROR arrived, or when the connection closed without one. */
  at: number;
  /** The ERROR code the server sent, or null if it just closed. */
  errorCode: string | null;
}

/** Header version for the raw echo server, which negotiates nothing. */
const RAW_VERSION = 1;

export class PingSession {
  pongs = 0;
  pingsSent = 0;
  /** performance.now() of the last PDU this client sent: where the server's timeout clock starts, at best. */
  lastSendAt = 0;
  silenced = false;
  /** performance.now() when LOGIN_RESPONSE OK arrived (or the raw connection opened). */
  loggedInAt = 0;
  end: SessionEnd | null = null;
  pingTimeoutMs = Number.POSITIVE_INFINITY;
  /** PONGs that answered no outstanding PING, or out of order: a server bug, reported. */
  mismatchedPongs = 0;
  /**
   * Longest time between two consecutive sends since the last resetSendGap(). Above the ping interval means
   * this client broke REQ-7.1 (its own event loop was late, e.g. the generator starved of CPU).
   */
  maxSendGapMs = 0;
  /** Time between the last two sends: with msAfterLastSend, how long the client was really quiet. */
  lastSendGapMs = 0;
  private version = RAW_VERSION;
  private intervalMs: number;
  private timer: NodeJS.Timeout | null = null;
  private nextToken = 1;
  /** Highest token answered so far; PONGs must come back in order with tokens above it. */
  private answeredToken = 0;

  private constructor(
    private readonly socket: FrameSocket,
    /** Against the raw echo server: no login, no LOGOUT, and the reply to a PING is the PING itself. */
    private readonly raw: boolean,
    intervalMs: number,
  ) {
    this.intervalMs = intervalMs;
    socket.onClose(() => this.ended(null));
  }

  /** Logs in with `credentials`, or with `{ rawPingIntervalMs }` just connects to a raw echo server. */
  static async open(
    options: FrameSocketOptions,
    peer: Credentials | { rawPingIntervalMs: number },
  ): Promise<PingSession> {
    const socket = await FrameSocket.open(options);
    const raw = "rawPingIntervalMs" in peer;
    const session = new PingSession(socket, raw, raw ? peer.rawPingIntervalMs : 0);
    try {
      if (!raw) {
        const login = await logIn(socket, peer, {
          // Keep-alive from the VERSION_RESPONSE on, as REQ-7.1 asks, however long the login takes.
          negotiated: ({ version, pingIntervalMs }) => {
            session.version = version;
            session.intervalMs = pingIntervalMs;
            session.lastSendAt = performance.now();
            session.schedule();
          },
          sent: () => session.noteSend(),
        });
        session.pingTimeoutMs = login.pingTimeoutMs;
      }
    } catch (error) {
      session.stopTimer();
      socket.destroy();
      throw error;
    }
    socket.setFrameHandler((frame) => session.receive(frame));
    session.loggedInAt = performance.now();
    if (raw) {
      session.lastSendAt = session.loggedInAt;
      session.schedule();
    }
    return session;
  }

  get pingIntervalMs(): number {
    return this.intervalMs;
  }

  /** Stops sending anything, leaving the socket open: a silent death. */
  silence(): void {
    this.silenced = true;
    this.stopTimer();
  }

  async close(): Promise<void> {
    this.stopTimer();
    if (this.raw) this.socket.reset();
    else if (this.end === null) await logOut(this.socket, this.version);
  }

  /** The next PING goes out one interval after the last thing sent, never later. */
  private schedule(): void {
    this.stopTimer();
    const due = Math.max(0, this.lastSendAt + this.intervalMs - performance.now());
    this.timer = setTimeout(() => this.ping(), due);
  }

  private ping(): void {
    this.timer = null;
    if (this.silenced || this.end !== null) return;
    const token = this.nextToken++ >>> 0;
    this.pingsSent++;
    this.noteSend();
    this.socket.write(encode({ type: "PING", version: this.version, token }));
    this.schedule();
  }

  resetSendGap(): void {
    this.maxSendGapMs = 0;
  }

  private noteSend(): void {
    const now = performance.now();
    if (this.lastSendAt > 0) {
      this.lastSendGapMs = now - this.lastSendAt;
      this.maxSendGapMs = Math.max(this.maxSendGapMs, this.lastSendGapMs);
    }
    this.lastSendAt = now;
  }

  private receive(frame: Uint8Array): void {
    const pdu = decode(frame);
    if (pdu.type === "PONG" || (this.raw && pdu.type === "PING")) {
      if (pdu.token > this.answeredToken && pdu.token < this.nextToken) {
        this.answeredToken = pdu.token;
        this.pongs++;
      } else this.mismatchedPongs++;
    } else if (pdu.type === "ERROR") {
      this.ended(pdu.code);
    }
  }

  private ended(errorCode: string | null): void {
    this.stopTimer();
    // The ERROR arrives before the close; the first of the two is when the server acted.
    if (this.end === null) this.end = { at: performance.now(), errorCode };
  }

  private stopTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
