/**
 * Dials a Parrot server (through the transport registry, TCP or TLS by default) and wraps the
 * connection in a ClientSession. Every way of not getting a connection becomes a ClientFailure: an
 * unreadable CA file is the caller's mistake (USAGE), anything the network or TLS says is
 * CANNOT_CONNECT.
 */
import { readFile } from "node:fs/promises";
import { type ConnectOptions, connect } from "../transport/connect.ts";
import { PduChannel } from "../transport/pdu-channel.ts";
import { TransportError } from "../transport/transport-error.ts";
import { ClientFailure } from "./client-failure.ts";
import { ClientSession } from "./client-session.ts";
import type { SeenMessages } from "./seen-messages.ts";

// How long a closing client waits for its last bytes to drain and the server's FIN. A server that
// is still there closes at once; one that is not should not hold the user's terminal for long.
const CLOSE_TIMEOUT_MS = 1000;

/** Where to connect and how. */
export interface ConnectTarget {
  host: string;
  port: number;
  /** Dial with TLS (the system CAs, plus `caFile` if given). */
  tls?: boolean;
  /** A PEM file of extra CAs to trust, with `tls`. */
  caFile?: string | undefined;
  /** With `tls`: do not verify the server's certificate (for testing only). */
  insecure?: boolean;
  /** A transport registered with `registerDialer` other than "tcp"/"tls"; overrides `tls`. */
  transport?: string;
}

/**
 * `seen`: the messages already shown, when this session continues an earlier one (a reconnect),
 * so what reaches both is shown once.
 */
export async function connectSession(
  target: ConnectTarget,
  seen?: SeenMessages,
): Promise<ClientSession> {
  const connectOptions: ConnectOptions = {};
  if (target.transport !== undefined) connectOptions.transport = target.transport;
  if (target.tls === true) {
    connectOptions.tls = { insecure: target.insecure === true };
    if (target.caFile !== undefined) connectOptions.tls.ca = await readCa(target.caFile);
  }
  try {
    const stream = await dialLoopbackAware(target.host, target.port, connectOptions);
    const channel = new PduChannel(stream, { closeTimeoutMs: CLOSE_TIMEOUT_MS });
    return new ClientSession(channel, undefined, seen, tlsHint(target));
  } catch (error) {
    if (!(error instanceof TransportError)) throw error;
    // Dropped during the dial (a WebSocket's upgrade), not refused, unreachable or timed out.
    const hint = error.code === "CONNECTION_FAILED" ? tlsHint(target) : undefined;
    throw new ClientFailure(
      "CANNOT_CONNECT",
      hint === undefined ? error.message : `${error.message}; ${hint}`,
    );
  }
}

/**
 * A TLS server closes a connection whose first bytes are not a TLS handshake, without a word
 * (issue 12: EOF 1.5 ms after connecting). So a plaintext connection (TCP, or WebSocket whose
 * HTTP upgrade a TLS port drops) that ends before the server said anything is told what was
 * likely wrong. QUIC is always TLS.
 */
function tlsHint(target: ConnectTarget): string | undefined {
  if (target.tls === true) return undefined;
  const transport = target.transport ?? "tcp";
  if (transport !== "tcp" && transport !== "ws") return undefined;
  return "the server may expect TLS: try --tls";
}

/**
 * "localhost" is the loopback interface in either family (RFC 6761), but many systems resolve it
 * to 127.0.0.1 only: a server listening on ::1 alone would be refused. So a refused "localhost"
 * is tried again on ::1 (for TLS still verified as "localhost").
 */
async function dialLoopbackAware(host: string, port: number, options: ConnectOptions) {
  try {
    return await connect(host, port, options);
  } catch (error) {
    const refused = error instanceof TransportError && error.code === "CONNECTION_REFUSED";
    if (host !== "localhost" || !refused) throw error;
    const tls = options.tls === undefined ? undefined : { servername: "localhost", ...options.tls };
    return await connect("::1", port, tls === undefined ? options : { ...options, tls }).catch(() =>
      Promise.reject(error),
    );
  }
}

async function readCa(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new ClientFailure("USAGE", `cannot read --ca ${file}: ${(error as Error).message}`);
  }
}
