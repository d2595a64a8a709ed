/**
 * One idle logged-in session for the session-scale bench: it does nothing but PING at the interval the
 * server advertised, checks each PONG, and remembers how it ended. `silence()` turns it into a dead client
 * the quiet way: the socket stays open, the client just stops sending, which is what a crashed app behind a
 * NAT looks like to the server. The server must then notice on its own (ERROR PING_TIMEOUT and close).
 */
import { decode, encode } from "../generated/index.ts";
import { FrameSocket, type FrameSocketOptions } from "./frame-socket.ts";
import { type Credentials, type LoggedIn, logIn, logOut } from "./parrot-login.ts";

export interface SessionEnd {
  /** performance.now() when the server's ERROR arrived, or when the connection closed without one. */
  at: number;
  /** The ERROR code the server sent, or null if it just closed. */
  errorCode: string | null;
}

export class PingSession {
  pongs = 0;
  pingsSent = 0;
  /** performance.now() of the last PDU this client sent: where the server's timeout clock starts, at best. */
  lastSendAt = 0;
  silenced = false;
  end: SessionEnd | null = null;
  private timer: NodeJS.Timeout | null = null;
  private nextToken = 1;
  private lastToken = 0;
  private badPongs = 0;

  private constructor(
    private readonly socket: FrameSocket,
    private readonly login: LoggedIn,
  ) {
    socket.setFrameHandler((frame) => this.receive(frame));
    socket.onClose(() => this.ended(null));
  }

  static async open(options: FrameSocketOptions, credentials: Credentials): Promise<PingSession> {
    const socket = await FrameSocket.open(options);
    try {
      const login = await logIn(socket, credentials);
      const session = new PingSession(socket, login);
      session.lastSendAt = performance.now();
      return session;
    } catch (error) {
      socket.destroy();
      throw error;
    }
  }

  /** Starts pinging; the first PING after a random part of one interval so 10 000 sessions don't beat in step. */
  start(): void {
    const interval = this.login.pingIntervalMs;
    this.timer = setTimeout(() => {
      this.ping();
      this.timer = setInterval(() => this.ping(), interval);
    }, Math.random() * interval);
  }

  /** Stops sending anything, leaving the socket open: a silent death. */
  silence(): void {
    this.silenced = true;
    this.stopTimer();
  }

  /** PONGs that came back with a token other than the last one sent: a server bug, reported. */
  get mismatchedPongs(): number {
    return this.badPongs;
  }

  get pingTimeoutMs(): number {
    return this.login.pingTimeoutMs;
  }

  async close(): Promise<void> {
    this.stopTimer();
    if (this.end === null) await logOut(this.socket, this.login.version);
  }

  private ping(): void {
    const token = this.nextToken++ >>> 0;
    this.lastToken = token;
    this.pingsSent++;
    this.lastSendAt = performance.now();
    this.socket.write(encode({ type: "PING", version: this.login.version, token }));
  }

  private receive(frame: Uint8Array): void {
    const pdu = decode(frame);
    if (pdu.type === "PONG") {
      if (pdu.token === this.lastToken) this.pongs++;
      else this.badPongs++;
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
