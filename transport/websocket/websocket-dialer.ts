/**
 * dialWebSocket: the client side of spec §2.3. Opens ws:// (or, with TLS settings, wss://)
 * host:port/path offering the `parrot.v1` subprotocol and resolves with a WebSocketByteStream
 * once the upgrade succeeded; every failure becomes a TransportError, as for TCP and TLS.
 */
import { WebSocket } from "ws";
import { formatAddress } from "../address.ts";
import type { ByteStream } from "../byte-stream.ts";
import { DEFAULT_CONNECT_TIMEOUT_MS } from "../tcp.ts";
import { TransportError, transportErrorFromSocketError } from "../transport-error.ts";
import { MAX_MESSAGE_BYTES, PARROT_SUBPROTOCOL, WebSocketByteStream } from "./websocket-stream.ts";

export interface WebSocketDialOptions {
  /** Dial wss with these settings (as dialTls); absent means plain ws. */
  tls?: { ca?: string | Buffer; insecure?: boolean; servername?: string };
  /** The server's WebSocket path; default "/". */
  path?: string;
  timeoutMs?: number;
}

export function dialWebSocket(
  host: string,
  port: number,
  options: WebSocketDialOptions = {},
): Promise<ByteStream> {
  const target = formatAddress(host, port);
  const scheme = options.tls === undefined ? "ws" : "wss";
  const url = `${scheme}://${target}${options.path ?? "/"}`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const tls = options.tls;
  const socket = new WebSocket(url, PARROT_SUBPROTOCOL, {
    handshakeTimeout: timeoutMs,
    maxPayload: MAX_MESSAGE_BYTES,
    perMessageDeflate: false,
    ...(tls === undefined
      ? {}
      : {
          rejectUnauthorized: tls.insecure !== true,
          ...(tls.ca === undefined ? {} : { ca: tls.ca }),
          ...(tls.servername === undefined ? {} : { servername: tls.servername }),
        }),
  });
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: TransportError) => {
      if (settled) return;
      settled = true;
      socket.terminate();
      reject(error);
    };
    socket.once("unexpected-response", (_request, response) => {
      fail(
        new TransportError(
          "CONNECTION_FAILED",
          `${url} answered HTTP ${response.statusCode} instead of a Parrot WebSocket`,
        ),
      );
    });
    socket.once("error", (error: Error) => {
      const timedOut = /timed out/i.test(error.message);
      fail(
        timedOut
          ? new TransportError("CONNECT_TIMEOUT", `timed out connecting to ${target}`)
          : transportErrorFromSocketError(error, target),
      );
    });
    socket.once("open", () => {
      if (settled) return;
      settled = true;
      // The stream records later errors itself; this listener only served the dial.
      socket.removeAllListeners("error");
      resolve(new WebSocketByteStream(socket, target));
    });
  });
}
