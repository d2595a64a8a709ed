/**
 * The QUIC binding's fixed settings (spec/README.md §14): the ALPN identifier, the application
 * error codes, the idle timeout rule, and the settings every endpoint shares. @matrixai/quic's
 * defaults are wrong for Parrot on four counts, each fixed here: ALPN "quic", an idle timeout of
 * 0 (a dead peer is never noticed), a logger that prints every packet, and early data off by
 * default but worth pinning (REQ-14.5).
 */
import Logger, { LogLevel } from "@matrixai/logger";
import { TIMER_DEFAULTS_MS } from "../../generated/index.ts";

/** REQ-14.1: the ALPN identifier of Parrot over QUIC. */
export const PARROT_ALPN = "parrot";

/** REQ-14.4: application error codes in CONNECTION_CLOSE and RESET_STREAM / STOP_SENDING. */
export const QUIC_APP_ERROR = {
  /** The Parrot connection ended normally (after both FINs, or a deliberate close). */
  NO_ERROR: 0x0,
  /** The endpoint dropped the connection (destroy, crash of the session, shutdown force). */
  ABORTED: 0x1,
  /** REQ-14.6: a stream beyond the one Parrot stream; the connection is unaffected. */
  EXTRA_STREAM: 0x2,
  /** REQ-14.7: no Parrot stream was opened within the handshake timeout. */
  NO_STREAM: 0x3,
} as const;

/**
 * REQ-14.3: the QUIC idle timeout an endpoint advertises: twice the longest a live session may be
 * silent (ping interval plus ping timeout plus the timeout tolerance), so the protocol's own ping
 * timeout always fires first. Keep-alive PINGs at a third of it keep a live but quiet connection
 * open whatever ping interval the other side chose.
 */
export function quicIdleTimeoutMs(timers: {
  pingIntervalMs: number;
  pingTimeoutMs: number;
}): number {
  return 2 * (timers.pingIntervalMs + timers.pingTimeoutMs + TIMER_DEFAULTS_MS.timeoutTolerance);
}

/** The idle timeout for the spec's default timers: what a client uses before it knows better. */
export const DEFAULT_QUIC_IDLE_TIMEOUT_MS = quicIdleTimeoutMs({
  pingIntervalMs: TIMER_DEFAULTS_MS.pingInterval,
  pingTimeoutMs: TIMER_DEFAULTS_MS.pingTimeout,
});

/** Settings shared by the listener and the dialer. */
export function commonQuicConfig(idleTimeoutMs: number) {
  return {
    applicationProtos: [PARROT_ALPN],
    maxIdleTimeout: idleTimeoutMs,
    keepAliveIntervalTime: Math.floor(idleTimeoutMs / 3),
    // REQ-14.5: LOGIN_REQUEST carries a password; early data can be replayed.
    enableEarlyData: false,
    // Neither side ever needs a unidirectional stream.
    initialMaxStreamsUni: 0,
  };
}

/**
 * Which application error code a stream reset or abort carries: the code itself when the reason
 * is one (`stream.cancel(QUIC_APP_ERROR.EXTRA_STREAM)`), else ABORTED. The library's default sends
 * 0 for everything, which would make an abort look like a normal close.
 */
export function reasonToCode(_type: "read" | "write", reason?: unknown): number {
  return typeof reason === "number" ? reason : QUIC_APP_ERROR.ABORTED;
}

/** @matrixai/quic's default logger prints every packet at INFO; Parrot logs for itself. */
export function silentQuicLogger(): Logger {
  return new Logger("parrot-quic", LogLevel.SILENT);
}
