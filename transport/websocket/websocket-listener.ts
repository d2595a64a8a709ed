/**
 * listenWebSocket: an HTTP (or, with a certificate, HTTPS) server whose upgrade requests on one
 * path become Parrot connections (spec §2.3), each handed out as a WebSocketByteStream. Like ws
 * `noServer` mode: the HTTP server is ours, `ws` only performs the upgrade, so plain HTTP
 * requests can be answered by `onRequest` (the web client's files) on the same port.
 *
 * A handshake that does not offer the `parrot.v1` subprotocol gets HTTP 400 (REQ-2.10), another
 * path 404; both before any WebSocket exists. Bound by listening-server.ts, as TCP is: the same
 * descriptor guard pauses accepting before file descriptors run out.
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { Socket } from "node:net";
import { WebSocketServer } from "ws";
import { formatAddress } from "../address.ts";
import type { Listener } from "../listener.ts";
import { listenOn } from "../listening-server.ts";
import { MAX_MESSAGE_BYTES, PARROT_SUBPROTOCOL, WebSocketByteStream } from "./websocket-stream.ts";

/** WebSocket pongs owed to a peer that is not reading them, at most. */
const MAX_PENDING_PONGS = 60;

/** How often unfinished HTTP requests are checked against the handshake timeout. */
const TIMEOUT_CHECK_INTERVAL_MS = 1000;

export interface WebSocketListenOptions {
  host: string;
  /** 0 picks a free port; read the real one from `boundAddress`. */
  port: number;
  /** The HTTP path that upgrades to Parrot; default "/". */
  path?: string;
  /** Serve wss: PEM certificate chain and private key. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Drop connections that have not completed the HTTP upgrade (and TLS) this long. */
  handshakeTimeoutMs?: number;
  /** Answers plain HTTP requests; default 426 Upgrade Required. */
  onRequest?: (request: IncomingMessage, response: ServerResponse) => void;
}

export function listenWebSocket(options: WebSocketListenOptions): Promise<Listener> {
  const path = options.path ?? "/";
  const handshakeTimeout = options.handshakeTimeoutMs;
  // A peer that opens a connection and never finishes its request holds a descriptor: bound it
  // by the same handshake timeout a Parrot session has. node checks those timeouts only every
  // connectionsCheckingInterval (30 s by default): a slowloris peer then outlived a 2 s handshake
  // timeout by up to 30 s. Checked every second: closed within the protocol's 1 s timeout tolerance.
  const timeouts =
    handshakeTimeout === undefined
      ? {}
      : {
          headersTimeout: handshakeTimeout,
          requestTimeout: handshakeTimeout,
          connectionsCheckingInterval: Math.min(handshakeTimeout, TIMEOUT_CHECK_INTERVAL_MS),
        };
  const server =
    options.tls === undefined
      ? createHttpServer(timeouts)
      : createHttpsServer({
          cert: options.tls.cert,
          key: options.tls.key,
          ...timeouts,
          ...(handshakeTimeout === undefined ? {} : { handshakeTimeout }),
        });
  const upgrader = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    // A peer that pings without reading the pongs would queue them without end; past this many
    // unsent, ws drops it. ws's own default, pinned here; @types/ws does not know the option yet.
    ...({ maxPendingAutoPongs: MAX_PENDING_PONGS } as object),
    perMessageDeflate: false,
    handleProtocols: (offered) => (offered.has(PARROT_SUBPROTOCOL) ? PARROT_SUBPROTOCOL : false),
  });
  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    if (options.onRequest !== undefined) {
      options.onRequest(request, response);
      return;
    }
    response.writeHead(426, { "content-type": "text/plain; charset=utf-8", upgrade: "websocket" });
    response.end(
      `Parrot over WebSocket: connect to ${path} with subprotocol ${PARROT_SUBPROTOCOL}\n`,
    );
  });
  const transport = options.tls === undefined ? "ws" : "wss";
  return listenOn(
    server,
    transport,
    options,
    (connections) => {
      server.on("upgrade", (request: IncomingMessage, socket: Socket, head: Buffer) => {
        const remote = formatAddress(socket.remoteAddress, socket.remotePort);
        socket.on("error", () => socket.destroy());
        const refusal = refusalOf(request, path);
        if (refusal !== undefined) {
          socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
          connections.failed(new Error(`upgrade refused: ${refusal}`), remote);
          return;
        }
        upgrader.handleUpgrade(request, socket, head, (webSocket) => {
          connections.accepted(new WebSocketByteStream(webSocket, remote));
        });
      });
    },
    // Upgraded connections are the sessions' to close; idle HTTP keep-alives are not.
    () => server.closeIdleConnections(),
  );
}

/** Why an upgrade request is refused (an HTTP status line), or undefined to accept it. */
function refusalOf(request: IncomingMessage, path: string): string | undefined {
  const requestPath = (request.url ?? "/").split("?")[0];
  if (requestPath !== path) return "404 Not Found";
  const offered = (request.headers["sec-websocket-protocol"] ?? "")
    .split(",")
    .map((name) => name.trim());
  if (!offered.includes(PARROT_SUBPROTOCOL)) return "400 Bad Request";
  return undefined;
}
