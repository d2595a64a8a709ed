/**
 * TransportError: why a dial failed, as a stable code a caller can act on (the client maps
 * these to its "cannot connect" exit code) plus a message a person can read.
 */
export type TransportErrorCode =
  | "CONNECTION_REFUSED"
  | "HOST_NOT_FOUND"
  | "UNREACHABLE"
  | "CONNECT_TIMEOUT"
  | "TLS_FAILURE"
  | "CONNECTION_FAILED";

export class TransportError extends Error {
  readonly code: TransportErrorCode;

  constructor(code: TransportErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TransportError";
    this.code = code;
  }
}

/** Maps a node:net / node:tls connect error to a TransportError naming the target. */
export function transportErrorFromSocketError(error: unknown, target: string): TransportError {
  const code = (error as { code?: unknown }).code;
  const detail = error instanceof Error ? error.message : String(error);
  switch (code) {
    case "ECONNREFUSED":
      return new TransportError("CONNECTION_REFUSED", `connection refused by ${target}`, {
        cause: error,
      });
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new TransportError("HOST_NOT_FOUND", `cannot resolve host of ${target}: ${detail}`, {
        cause: error,
      });
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return new TransportError("UNREACHABLE", `${target} is unreachable: ${detail}`, {
        cause: error,
      });
    case "ETIMEDOUT":
      return new TransportError("CONNECT_TIMEOUT", `timed out connecting to ${target}`, {
        cause: error,
      });
  }
  if (typeof code === "string" && (code.startsWith("ERR_TLS") || code.startsWith("ERR_SSL"))) {
    return new TransportError("TLS_FAILURE", `TLS handshake with ${target} failed: ${detail}`, {
      cause: error,
    });
  }
  if (isCertificateError(code)) {
    return new TransportError("TLS_FAILURE", `TLS handshake with ${target} failed: ${detail}`, {
      cause: error,
    });
  }
  return new TransportError("CONNECTION_FAILED", `cannot connect to ${target}: ${detail}`, {
    cause: error,
  });
}

// OpenSSL verification failures surface with codes like DEPTH_ZERO_SELF_SIGNED_CERT or
// UNABLE_TO_VERIFY_LEAF_SIGNATURE rather than an ERR_TLS_ prefix.
function isCertificateError(code: unknown): boolean {
  return (
    typeof code === "string" &&
    /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|HOSTNAME|ALTNAME/.test(code)
  );
}
