/**
 * ByteStream: the only thing session logic knows about a connection.
 *
 * A bidirectional, ordered, reliable byte stream that opens and closes. TCP and TLS sockets are
 * adapted to it by socket-stream.ts, an in-process pair by memory-stream.ts; another transport
 * (QUIC streams, as in the original project, or WebSocket) only has to implement this interface
 * to run the same server and client sessions unchanged: the server takes any ByteStream
 * (`server.handle(stream)`), whoever accepted it.
 *
 * Contract:
 * - Incoming bytes are not read until a data listener is registered, and stop being read while
 *   `pauseReading()` is in effect (so a peer that floods us only fills its own kernel buffers).
 * - `write()` returns false when the outgoing buffer is above its high-water mark; wait for the
 *   drain listener before writing more if you care about memory.
 * - Streams are half-closable: end listeners run when the peer has finished sending (FIN), and our
 *   direction stays open until we call `end()`, so replies to everything the peer sent can still
 *   go out. `end()` flushes what was written, then closes our direction; the stream closes once
 *   both directions are done. `destroy()` closes at once, dropping unsent bytes.
 * - Close listeners run exactly once, whatever the cause, with `hadError` telling a clean end
 *   (both sides closed in order) from a reset, timeout or other failure.
 *
 * A transport without half-close (WebSocket: a close frame ends both directions at once) maps
 * onto this as follows. Bytes are the payloads of binary messages, concatenated (frame
 * boundaries of Parrot need not match message boundaries). The peer's close frame is the end of
 * its bytes: run the end listeners, then the close listeners (`hadError: false` for a normal
 * close code, true for any other code or a dropped connection); whatever we write after that is
 * refused (`write` returns false), since the peer can no longer read it. Our `end()` sends the
 * close frame once what was written has been sent; `destroy()` drops the connection. A server
 * reply to the peer's last request can therefore be lost on such a transport when the peer
 * closes first; a client that wants every reply waits for them before closing (as LOGOUT does:
 * the server closes, not the client).
 */
export interface ByteStream {
  /** "host:port" of the peer, for logs; "[v6addr]:port" for IPv6. */
  readonly remoteAddress: string;
  /** True while the outgoing buffer is above its high-water mark (a write returned false). */
  readonly writableNeedDrain: boolean;
  /** True once the stream has closed (close listeners have run or are running). */
  readonly closed: boolean;

  write(bytes: Uint8Array): boolean;
  end(): void;
  destroy(): void;

  pauseReading(): void;
  resumeReading(): void;

  onData(listener: (chunk: Uint8Array) => void): void;
  onDrain(listener: () => void): void;
  /** The peer finished sending. May run while reading is paused; bytes already delivered come first. */
  onEnd(listener: () => void): void;
  onClose(listener: (info: StreamCloseInfo) => void): void;
}

/** Why a stream closed. `error` is set when the transport reported one (reset, TLS alert, ...). */
export interface StreamCloseInfo {
  hadError: boolean;
  error?: Error;
}
