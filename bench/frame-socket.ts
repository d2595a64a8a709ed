/**
 * A TCP connection that yields whole Parrot frames, for the load generator and the ping fleet. Deliberately
 * raw `node:net` + the generated FrameSplitter rather than transport/pdu-channel.ts: the generator shares the
 * machine's cores with the server it measures, so every microsecond it spends per round trip is taken from
 * the server. Frames are handed over undecoded; callers decode with the generated codec.
 *
 * `FrameSocket.dial` opens one over any transport of transport/all-dialers.ts instead (the transport
 * echo rows: WebSocket, QUIC, and TCP through the same ByteStream code for a fair baseline).
 */
import { connect, type Socket } from "node:net";
import { decode, FrameSplitter, type Pdu } from "../generated/index.ts";
import { connect as dialByKind } from "../transport/all-dialers.ts";
import type { ByteStream } from "../transport/byte-stream.ts";

/** What a FrameSocket writes to and closes: a socket, or a ByteStream of another transport. */
interface Carrier {
  write(bytes: Uint8Array): void;
  destroy(): void;
  /** An abrupt close (a TCP RST where there is one). */
  reset(): void;
}

export interface FrameSocketOptions {
  host: string;
  port: number;
  /** Source address; spreading sessions over 127.0.0.0/8 multiplies the available ports. */
  localAddress?: string;
  /** Source port (see bench/source-endpoints.ts); if it is taken, the kernel picks one instead. */
  localPort?: number;
}

export class FrameSocket {
  private readonly splitter = new FrameSplitter();
  private onFrame: ((frame: Uint8Array) => void) | null = null;
  private readonly queued: Uint8Array[] = [];
  private waiter: { resolve: (pdu: Pdu) => void; reject: (error: Error) => void } | null = null;
  private closedError: Error | null = null;
  private readonly closeListeners: ((error: Error) => void)[] = [];

  private readonly carrier: Carrier;

  private constructor(carrier: Carrier) {
    this.carrier = carrier;
  }

  private static overSocket(socket: Socket): FrameSocket {
    const frames = new FrameSocket({
      write: (bytes) => socket.write(bytes),
      destroy: () => socket.destroy(),
      reset: () => socket.resetAndDestroy(),
    });
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => frames.receive(chunk));
    socket.on("error", (error) => frames.close(error));
    socket.on("close", () => frames.close(new Error("connection closed by the server")));
    return frames;
  }

  private static overStream(stream: ByteStream): FrameSocket {
    const frames = new FrameSocket({
      write: (bytes) => stream.write(bytes),
      destroy: () => stream.destroy(),
      reset: () => stream.destroy(),
    });
    stream.onData((chunk) => frames.receive(chunk));
    stream.onClose((info) =>
      frames.close(info.error ?? new Error("connection closed by the server")),
    );
    return frames;
  }

  /** Dials `transport` (a kind of transport/all-dialers.ts), trusting the PEM `ca` if given. */
  static async dial(
    transport: string,
    host: string,
    port: number,
    ca?: string,
  ): Promise<FrameSocket> {
    const tls =
      transport === "tcp" || (transport === "ws" && ca === undefined) ? undefined : { ca };
    const stream = await dialByKind(host, port, { transport, ...(tls ? { tls } : {}) });
    return FrameSocket.overStream(stream);
  }

  static open(options: FrameSocketOptions): Promise<FrameSocket> {
    return new Promise<FrameSocket>((resolve, reject) => {
      const socket = connect({
        host: options.host,
        port: options.port,
        localAddress: options.localAddress,
        localPort: options.localPort,
      });
      const onError = (error: Error) => reject(error);
      socket.once("error", onError);
      socket.once("connect", () => {
        socket.off("error", onError);
        resolve(FrameSocket.overSocket(socket));
      });
    }).catch((error: NodeJS.ErrnoException) => {
      // Someone else (e.g. a server on a wildcard address) holds that port: any port will do.
      if (error.code !== "EADDRINUSE" || options.localPort === undefined) throw error;
      return FrameSocket.open({ ...options, localPort: undefined });
    });
  }

  write(frame: Uint8Array): void {
    this.carrier.write(frame);
  }

  /** Handshake style: the next frame, decoded. Only while no frame handler is installed. */
  nextPdu(timeoutMs = 30_000): Promise<Pdu> {
    const frame = this.queued.shift();
    if (frame !== undefined) return Promise.resolve(decode(frame));
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        reject(new Error(`no frame within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiter = {
        resolve: (pdu) => {
          clearTimeout(timer);
          resolve(pdu);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
    });
  }

  /** Steady-state style: every frame from now on goes to `handler`, starting with any already queued. */
  setFrameHandler(handler: (frame: Uint8Array) => void): void {
    this.onFrame = handler;
    for (const frame of this.queued.splice(0)) handler(frame);
  }

  /** Called once with the reason when the connection ends for any reason. */
  onClose(listener: (error: Error) => void): void {
    if (this.closedError) listener(this.closedError);
    else this.closeListeners.push(listener);
  }

  get closed(): boolean {
    return this.closedError !== null;
  }

  destroy(): void {
    this.carrier.destroy();
  }

  /**
   * Closes with a RST instead of a FIN. A client that closes first leaves its (address, port) in TIME_WAIT
   * for a minute, and thousands of those make the next run's bind() to that source address crawl while the
   * kernel searches for a free port. Only for connections nobody needs an orderly goodbye from.
   */
  reset(): void {
    this.carrier.reset();
  }

  private receive(chunk: Uint8Array): void {
    let frames: Uint8Array[];
    try {
      frames = this.splitter.push(chunk);
    } catch (error) {
      this.close(error as Error);
      this.carrier.destroy();
      return;
    }
    for (const frame of frames) {
      if (this.onFrame) this.onFrame(frame);
      else if (this.waiter) {
        const waiter = this.waiter;
        this.waiter = null;
        try {
          waiter.resolve(decode(frame));
        } catch (error) {
          waiter.reject(error as Error);
        }
      } else this.queued.push(frame);
    }
  }

  private close(error: Error): void {
    if (this.closedError) return;
    this.closedError = error;
    this.waiter?.reject(error);
    this.waiter = null;
    for (const listener of this.closeListeners.splice(0)) listener(error);
  }
}
