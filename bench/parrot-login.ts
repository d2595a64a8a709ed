/**
 * Brings a fresh FrameSocket to the AUTHENTICATED state: VERSION_REQUEST, then LOGIN_REQUEST, checking each
 * answer. Shared by the echo sessions and the ping fleet so both measure logged-in sessions, exactly what a
 * real client holds open.
 */
import { encode, type Pdu } from "../generated/index.ts";
import type { FrameSocket } from "./frame-socket.ts";

export interface Credentials {
  username: string;
  password: string;
}

export interface LoggedIn {
  /** The negotiated protocol version: every PDU from here on carries it in its header. */
  version: number;
  pingIntervalMs: number;
  pingTimeoutMs: number;
}

const DEFAULT_BENCH_VERSIONS = [1, 2];

function unexpected(step: string, pdu: Pdu): Error {
  const detail = pdu.type === "ERROR" ? ` ${pdu.code}: ${pdu.text}` : "";
  return new Error(`${step}: unexpected ${pdu.type}${detail}`);
}

export interface LoginHooks {
  /** Negotiation succeeded: a client that keeps itself alive starts its PING clock here (REQ-7.1). */
  negotiated?: (login: LoggedIn) => void;
  /** The LOGIN_REQUEST has been written. */
  sent?: () => void;
  /**
   * Versions to offer; default 1 and 2, as the native generator (bench/native/main.c): the echo,
   * fan-out and scale parts measure what they always measured, and a version-3 server stores
   * their room messages all the same (bench/history-bench.ts compares that with storing off).
   */
  versions?: readonly number[];
}

export async function logIn(
  socket: FrameSocket,
  credentials: Credentials,
  hooks: LoginHooks = {},
): Promise<LoggedIn> {
  const versions = [...(hooks.versions ?? DEFAULT_BENCH_VERSIONS)];
  socket.write(encode({ type: "VERSION_REQUEST", version: 0, versions }));
  const negotiated = await socket.nextPdu();
  if (negotiated.type !== "VERSION_RESPONSE") throw unexpected("negotiation", negotiated);
  if (negotiated.status !== "OK") throw new Error(`negotiation: ${negotiated.status}`);
  const version = negotiated.chosenVersion;
  const loggedIn: LoggedIn = {
    version,
    pingIntervalMs: negotiated.pingIntervalMs,
    pingTimeoutMs: negotiated.pingTimeoutMs,
  };
  hooks.negotiated?.(loggedIn);

  socket.write(encode({ type: "LOGIN_REQUEST", version, ...credentials }));
  hooks.sent?.();
  const login = await socket.nextPdu();
  if (login.type !== "LOGIN_RESPONSE") throw unexpected("login", login);
  if (login.status !== "OK") {
    throw new Error(`login as ${credentials.username}: ${login.status} ${login.text}`);
  }
  if (version >= 3) {
    // REQ-15.14, REQ-15.20: SESSION_INFO, then the direct messages stored meanwhile, come first.
    const info = await socket.nextPdu();
    if (info.type !== "SESSION_INFO") throw unexpected("login", info);
    for (let i = 0; i < info.storedCount; i++) await socket.nextPdu();
  }
  return loggedIn;
}

/** LOGOUT, then wait for the server's EOF: only then is the login free for the next run to reuse. */
export function logOut(socket: FrameSocket, version: number): Promise<void> {
  return new Promise((resolve) => {
    socket.onClose(() => resolve());
    if (socket.closed) return;
    socket.write(encode({ type: "LOGOUT", version }));
    // A server that ignores LOGOUT must not hang the bench; the login then frees on our close instead.
    setTimeout(() => socket.destroy(), 5000).unref();
  });
}
