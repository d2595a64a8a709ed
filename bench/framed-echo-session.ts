/**
 * Echo sessions over Parrot framing, for two targets that must be measured with identical client work:
 * - the Parrot server: log in, send CHAT, expect CHAT_ECHO with the same id and text;
 * - the raw echo server: no login, send the same CHAT frame, expect it back unchanged (a CHAT).
 * Both encode every CHAT and decode every reply with the generated codec, so the generator spends the same
 * per round trip on both and any difference in throughput comes from the server.
 */
import { decode, encode } from "../generated/index.ts";
import { ECHO_TEXT, type EchoSession } from "./echo-session.ts";
import { FrameSocket, type FrameSocketOptions } from "./frame-socket.ts";
import { type Credentials, logIn, logOut } from "./parrot-login.ts";

export interface FramedEchoOptions extends FrameSocketOptions {
  /** Present for the Parrot server; absent for the raw echo server, which has no protocol to log in to. */
  credentials?: Credentials;
  /** Dial this transport of transport/all-dialers.ts (the transport rows) rather than raw TCP. */
  transport?: { kind: string; ca?: string };
}

/** Header version the raw echo server sees: it never negotiates, so any value works; 1 matches Parrot v1. */
const RAW_HEADER_VERSION = 1;

export async function openFramedEchoSession(options: FramedEchoOptions): Promise<EchoSession> {
  const socket =
    options.transport === undefined
      ? await FrameSocket.open(options)
      : await FrameSocket.dial(
          options.transport.kind,
          options.host,
          options.port,
          options.transport.ca,
        );
  let version = RAW_HEADER_VERSION;
  if (options.credentials) {
    try {
      version = (await logIn(socket, options.credentials)).version;
    } catch (error) {
      socket.destroy();
      throw error;
    }
  }
  const expectedType = options.credentials ? "CHAT_ECHO" : "CHAT";
  let nextMessageId = 1;
  let pending: { messageId: number; done: (error?: Error) => void } | null = null;

  const settle = (error?: Error) => {
    const waiting = pending;
    pending = null;
    waiting?.done(error);
  };
  socket.setFrameHandler((frame) => {
    const pdu = decode(frame);
    if (pdu.type !== expectedType || !("messageId" in pdu)) {
      const detail = pdu.type === "ERROR" ? ` ${pdu.code}: ${pdu.text}` : "";
      settle(new Error(`expected ${expectedType}, got ${pdu.type}${detail}`));
      return;
    }
    if (pending === null || pdu.messageId !== pending.messageId || pdu.text !== ECHO_TEXT) {
      settle(new Error(`echo does not match the message in flight (id ${pdu.messageId})`));
      return;
    }
    settle();
  });
  socket.onClose((error) => settle(error));

  return {
    roundTrip(done) {
      const messageId = nextMessageId;
      nextMessageId = (nextMessageId + 1) >>> 0;
      pending = { messageId, done };
      socket.write(encode({ type: "CHAT", version, messageId, text: ECHO_TEXT }));
    },
    async close() {
      if (options.credentials) await logOut(socket, version);
      else socket.reset();
    },
  };
}
