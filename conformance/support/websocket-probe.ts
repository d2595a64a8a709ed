/**
 * A WebSocket the suite opens itself, to judge the WebSocket binding (spec §2.3) on what lies under
 * the byte stream: the HTTP answer to the opening handshake, the subprotocol selected, whether each
 * message the server sent was binary, and the close code it ended with.
 *
 * Above that it is an ordinary connection: its bytes go through a RawPeer (so ClientSession, the
 * transcript and every other step work on it). A write of up to 8200 bytes through the peer is
 * exactly one binary message (transport/websocket/websocket-stream.ts), so a scenario chooses the
 * split of its messages by the writes it makes; messages the byte stream cannot express (text,
 * empty) are sent here.
 */
import { performance } from "node:perf_hooks";
import { WebSocket } from "ws";
import { formatAddress } from "../../transport/address.ts";
import {
  MAX_MESSAGE_BYTES,
  WebSocketByteStream,
} from "../../transport/websocket/websocket-stream.ts";
import { streamWire } from "./peer-wire.ts";
import { RawPeer } from "./raw-peer.ts";
import type { TargetAddress } from "./suite-parameters.ts";

/** A message the server sent: only what the binding judges, not its bytes (the peer has those). */
export interface ReceivedMessage {
  binary: boolean;
  bytes: number;
}

/** How the WebSocket ended: the code of the close frame, 1005 if it had none, 1006 if none came. */
export interface WebSocketEnd {
  code: number;
  reason: string;
}

export type HandshakeOutcome =
  | { kind: "upgraded"; probe: WebSocketProbe }
  /** The server answered the upgrade request with another HTTP status. */
  | { kind: "refused"; status: number }
  /** The handshake failed otherwise (e.g. a 101 without the subprotocol asked for). */
  | { kind: "failed"; reason: string };

/** The ws:// (or wss://) address of a WebSocket target. */
export function webSocketUrl(target: TargetAddress): string {
  const scheme = target.tls ? "wss" : "ws";
  return `${scheme}://${formatAddress(target.host, target.port)}${target.path ?? "/"}`;
}

/** Opens a WebSocket to the target offering `protocols` (none: no Sec-WebSocket-Protocol). */
export function openWebSocket(
  target: TargetAddress,
  protocols: readonly string[],
  label: string,
  timeoutMs: number,
): Promise<HandshakeOutcome> {
  const startedAt = performance.now();
  const socket = new WebSocket(webSocketUrl(target), [...protocols], {
    handshakeTimeout: timeoutMs,
    maxPayload: MAX_MESSAGE_BYTES,
    perMessageDeflate: false,
    ...(target.tls
      ? {
          rejectUnauthorized: !target.insecure,
          ...(target.ca === undefined ? {} : { ca: target.ca }),
          ...(target.servername === undefined ? {} : { servername: target.servername }),
        }
      : {}),
  });
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: HandshakeOutcome) => {
      if (settled) return;
      settled = true;
      if (outcome.kind !== "upgraded") socket.terminate();
      resolve(outcome);
    };
    socket.once("unexpected-response", (_request, response) => {
      settle({ kind: "refused", status: response.statusCode ?? 0 });
    });
    socket.once("error", (error: Error) => settle({ kind: "failed", reason: error.message }));
    socket.once("open", () => {
      socket.removeAllListeners("error");
      const remote = formatAddress(target.host, target.port);
      settle({ kind: "upgraded", probe: new WebSocketProbe(socket, remote, label, startedAt) });
    });
  });
}

export class WebSocketProbe {
  /** Every message the server sent, in order. */
  readonly received: ReceivedMessage[] = [];
  /** Resolves once the WebSocket has closed, however. */
  readonly ended: Promise<WebSocketEnd>;
  readonly peer: RawPeer;
  private readonly socket: WebSocket;

  constructor(socket: WebSocket, remote: string, label: string, connectStartedAt: number) {
    this.socket = socket;
    // Registered before the byte stream's own listeners: a message is recorded before its bytes
    // reach the peer, so a step that has read a PDU finds its message here.
    socket.on("message", (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
      this.received.push({ binary: isBinary, bytes: byteLength(data) });
    });
    this.ended = new Promise((resolve) => {
      socket.once("close", (code: number, reason: Buffer) =>
        resolve({ code, reason: reason.toString() }),
      );
    });
    this.peer = RawPeer.over(
      streamWire(new WebSocketByteStream(socket, remote)),
      label,
      connectStartedAt,
    );
  }

  /** The subprotocol the server selected ("" for none). */
  get protocol(): string {
    return this.socket.protocol;
  }

  /** Sends a text message, which the binding does not allow (REQ-2.13). */
  sendText(text: string): void {
    this.peer.transcript.note(`sent a text message of ${Buffer.byteLength(text)} bytes`);
    this.socket.send(text, { binary: false });
  }

  /** Sends a binary message with no payload: no bytes of the stream (REQ-2.12). */
  sendEmptyMessage(): void {
    this.socket.send(new Uint8Array(0), { binary: true });
  }

  /** Sends a close frame with `code`, after what was sent before it. */
  close(code: number): void {
    this.peer.transcript.note(`sent a close frame with code ${code}`);
    this.socket.close(code);
  }
}

function byteLength(data: Buffer | ArrayBuffer | Buffer[]): number {
  if (Array.isArray(data)) return data.reduce((sum, part) => sum + part.length, 0);
  return data.byteLength;
}
