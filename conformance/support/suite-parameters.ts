/**
 * The knobs a run of the suite is given (by conformance/run.ts, as cucumber world parameters).
 *
 * Every wait in the suite is derived from these or from what the server advertises, never hard-coded,
 * so the same scenarios judge a server with 15-second timers and one with 1-second timers alike.
 */

export interface TargetAddress {
  host: string;
  port: number;
  tls: boolean;
  /**
   * A transport kind of transport/all-dialers.ts other than tcp/tls (e.g. "quic"); `tls`, `ca`,
   * `insecure` and `servername` are its certificate settings. Unset: TCP, or TLS with `tls`.
   */
  transport?: string;
  /** The HTTP path of a WebSocket target (transport "ws"); default "/". */
  path?: string;
  /** PEM of the CA that signed the server's certificate (TLS targets with a private CA). */
  ca?: string;
  /** Skip certificate verification (self-signed test servers). */
  insecure: boolean;
  /** TLS server name to verify against, when it differs from `host`. */
  servername?: string;
}

export interface SuiteParameters {
  /** The first (or only) target: where the suite's own probes and precondition logins go. */
  target: TargetAddress;
  /**
   * Every target, `target` first: the nodes of one service, over which a scenario's sessions are
   * spread round-robin (target-placement.ts). One element when the run judges one server.
   */
  targets: TargetAddress[];
  /** How long to wait for an answer the server should send right away (a reply, an ERROR, a close). */
  replyTimeoutMs: number;
  /** The longest single wait on a server timer the suite accepts; scenarios that need more are unsupported. */
  maxTimerMs: number;
  /**
   * Added to the late side of a timer window (after the spec's tolerance): our own scheduling is not
   * exact. Never to the early side: delays only make a server's timer look later.
   */
  slackMs: number;
  /** The spec's timeoutTolerance (protocol.json timers), unless overridden. */
  timeoutToleranceMs: number;
  /** The server's handshake timeout: not advertised on the wire, so it must be told; null = unknown. */
  handshakeTimeoutMs: number | null;
  /**
   * The server's typing timeout (version 2): not advertised either, so the spec's default
   * (protocol.json timers.typingTimeout) unless --typing-timeout or the launcher says otherwise.
   */
  typingTimeoutMs: number;
  /**
   * How long set-up may take: the precondition check's logins, and the many sessions a load scenario
   * logs in at once. Apart from replyTimeoutMs: a strong password hash is slow on purpose.
   */
  setupTimeoutMs: number;
  /** Concurrent sessions in the concurrency scenario. */
  sessions: number;
  /** CHAT messages each of those sessions sends. */
  messagesPerSession: number;
  /** Path of the accounts fixture (conformance/fixtures/accounts.json). */
  accountsFile: string;
  /**
   * How the suite started the server under test (absent for --target): the --launch command, or null
   * for the reference. Scenarios about a server's own end (REQ-9.4) or limit (REQ-9.5) start an
   * instance of their own the same way.
   */
  launch?: { command: string | null; timeoutMs: number };
}
