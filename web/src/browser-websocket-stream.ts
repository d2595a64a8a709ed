/**
 * BrowserWebSocketStream: the browser's WebSocket as a ByteStream (transport/byte-stream.ts), so
 * the same PduChannel and ClientSession as the terminal client run in the page. Spec §2.3: the
 * subprotocol `parrot.v1`, binary messages only, one frame per write.
 *
 * A browser WebSocket cannot stop reading; while reading is paused, messages are held here and
 * delivered in order on resume (a client only pauses for moments, and the server bounds what it
 * sends to one connection).
 */
import type { ByteStream, StreamCloseInfo } from "../../transport/byte-stream.ts";

export const PARROT_SUBPROTOCOL = "parrot.v1";
const HIGH_WATER_BYTES = 16 * 1024;

/** Opens a Parrot WebSocket at `url`; rejects if the handshake fails. */
export function openParrotWebSocket(url: string): Promise<ByteStream> {
  const socket = new WebSocket(url, PARROT_SUBPROTOCOL);
  socket.binaryType = "arraybuffer";
  return new Promise((resolve, reject) => {
    socket.onopen = () => resolve(new BrowserWebSocketStream(socket, url));
    socket.onerror = () => reject(new Error(`cannot connect to ${url}`));
  });
}

class BrowserWebSocketStream implements ByteStream {
  readonly remoteAddress: string;
  private readonly dataListeners: ((chunk: Uint8Array) => void)[] = [];
  private readonly drainListeners: (() => void)[] = [];
  private readonly endListeners: (() => void)[] = [];
  private readonly closeListeners: ((info: StreamCloseInfo) => void)[] = [];
  private held: Uint8Array[] = [];
  private paused = false;
  private weClosed = false;
  private closing: StreamCloseInfo | undefined;
  private isClosed = false;
  private drainTimer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly socket: WebSocket,
    url: string,
  ) {
    this.remoteAddress = new URL(url).host;
    socket.onerror = null;
    socket.onmessage = (event: MessageEvent) => {
      if (typeof event.data === "string") {
        // REQ-2.13: text is not Parrot.
        this.weClosed = true;
        socket.close(1003, "Parrot is carried in binary messages only");
        return;
      }
      this.held.push(new Uint8Array(event.data as ArrayBuffer));
      this.flush();
    };
    socket.onclose = (event: CloseEvent) => {
      this.closing = { hadError: !(event.code === 1000 || event.code === 1001) };
      this.flush();
    };
  }

  get writableNeedDrain(): boolean {
    return this.socket.bufferedAmount > HIGH_WATER_BYTES;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  write(bytes: Uint8Array): boolean {
    if (this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(bytes as Uint8Array<ArrayBuffer>);
    if (!this.writableNeedDrain) return true;
    // The browser has no drain event: watch bufferedAmount until it falls.
    this.drainTimer ??= setInterval(() => {
      if (this.writableNeedDrain) return;
      clearInterval(this.drainTimer);
      this.drainTimer = undefined;
      for (const listener of this.drainListeners) listener();
    }, 20);
    return false;
  }

  end(): void {
    this.weClosed = true;
    if (this.closing !== undefined) this.finish();
    else this.socket.close(1000);
  }

  destroy(): void {
    this.end();
  }

  pauseReading(): void {
    this.paused = true;
  }

  resumeReading(): void {
    this.paused = false;
    this.flush();
  }

  onData(listener: (chunk: Uint8Array) => void): void {
    this.dataListeners.push(listener);
    this.flush();
  }

  onDrain(listener: () => void): void {
    this.drainListeners.push(listener);
  }

  onEnd(listener: () => void): void {
    this.endListeners.push(listener);
  }

  onClose(listener: (info: StreamCloseInfo) => void): void {
    this.closeListeners.push(listener);
  }

  private flush(): void {
    while (this.held.length > 0 && !this.paused && this.dataListeners.length > 0) {
      const bytes = this.held.shift() as Uint8Array;
      for (const listener of this.dataListeners) listener(bytes);
    }
    if (this.held.length === 0 && this.closing !== undefined) this.finish();
  }

  private finish(): void {
    if (this.isClosed || this.closing === undefined) return;
    this.isClosed = true;
    this.held = [];
    clearInterval(this.drainTimer);
    if (!this.weClosed) for (const listener of this.endListeners) listener();
    for (const listener of this.closeListeners) listener(this.closing);
  }
}
