/**
 * The planted-bug corpus of `make conformance-mutants`: realistic single faults in the reference
 * server, each naming the requirement it breaks. A fault is one or more exact text replacements in
 * one place of the logic (mutant-tree.ts applies them to a scratch copy); each is a bug someone could
 * write: an off-by-one, a check left out or done in the wrong order, a clock started at the wrong
 * moment, a comparison that folds case, a sort by UTF-16 units, a write reordered under backpressure.
 *
 * Keep each find string exact: a corpus that no longer matches the code fails before anything runs.
 */
import type { Patch } from "./mutant-tree.ts";

export interface Mutant {
  id: string;
  /** The requirement of spec/README.md the fault breaks; its scenarios run first. */
  breaks: string;
  fault: string;
  patches: Patch[];
  serverArgs?: string[];
}

const p = (file: string, find: string, replace: string): Patch => ({ file, find, replace });
const SESSION = "server/session.ts";
const LOGIN = "server/handlers/login-request.ts";
const VERSION = "server/handlers/version-request.ts";
const ROOMS = "server/room-registry.ts";
const TYPING = "server/typing-tracker.ts";
const OPTIONS = "server/server-options.ts";
const CHANNEL = "transport/pdu-channel.ts";
const OUTBOX = "server/relay-outbox.ts";

/** Wraps the reference classification: `condition` decides when `instead` is returned. */
const classifyInstead = (instead: string) =>
  p(
    OPTIONS,
    "export const serverClassify: ServerClassifier = (state, negotiatedVersion, header) =>\n  classify(",
    `export const serverClassify: ServerClassifier = (state, negotiatedVersion, header) =>\n  ${instead} classify(`,
  );

export const MUTANTS: Mutant[] = [
  // --- framing, decoding, the order of checks (§2, §3, §8) ---
  {
    id: "eof-mid-frame-ignored",
    breaks: "REQ-2.8",
    fault:
      "the end of the stream is acted on only between frames; mid-frame the timers close it later",
    patches: [
      p(
        CHANNEL,
        "if (this.peerEnded && !this.peerEndDelivered) {",
        "if (this.peerEnded && !this.peerEndDelivered && this.splitter.bufferedBytes === 0) {",
      ),
    ],
  },
  {
    id: "frame-too-large-as-bad-magic",
    breaks: "REQ-2.7",
    fault: "an oversized length is reported with the code of a bad magic",
    patches: [
      p(
        SESSION,
        "this.sendError(error.code, error.reason);",
        'this.sendError(error.code === "FRAME_TOO_LARGE" ? "BAD_MAGIC" : error.code, error.reason);',
      ),
    ],
  },
  {
    id: "invalid-utf8-as-malformed",
    breaks: "REQ-3.4",
    fault: "bad UTF-8 is reported as MALFORMED_PAYLOAD",
    patches: [
      p(
        SESSION,
        "this.sendError(error.code, error.reason);",
        'this.sendError(error.code === "INVALID_UTF8" ? "MALFORMED_PAYLOAD" : error.code, error.reason);',
      ),
    ],
  },
  {
    id: "string-too-long-closes",
    breaks: "REQ-6.5",
    fault: "STRING_TOO_LONG closes the connection like the fatal decode errors",
    patches: [
      p(
        SESSION,
        "if (fatal) this.beginClose(`unframeable input: \u0024{error.code}`);",
        'if (fatal || error.code === "STRING_TOO_LONG") this.beginClose(`unframeable input: \u0024{error.code}`);',
      ),
    ],
  },
  {
    id: "unknown-type-closes",
    breaks: "REQ-11.2",
    fault: "an unknown message type closes the connection",
    patches: [
      p(
        SESSION,
        "if (fatal) this.beginClose(`unframeable input: \u0024{error.code}`);",
        'if (fatal || error.code === "UNKNOWN_MESSAGE_TYPE") this.beginClose(`unframeable input: \u0024{error.code}`);',
      ),
    ],
  },
  {
    id: "malformed-does-not-close",
    breaks: "REQ-8.3",
    fault: "a closing decode error is answered but the connection stays open",
    patches: [
      p(
        SESSION,
        '    this.log.info({ code, detail, closes }, "sent ERROR");\n    this.send(errorPdu(code, detail));\n    if (closes)',
        '    this.log.info({ code, detail, closes }, "sent ERROR");\n    this.send(errorPdu(code, detail));\n    if (closes && code !== "MALFORMED_PAYLOAD")',
      ),
    ],
  },
  {
    id: "unexpected-message-closes",
    breaks: "REQ-8.6",
    fault: "a type of the server's own role is refused and the connection closed",
    patches: [
      p(
        SESSION,
        '      case "reject":\n        this.sendError(',
        '      case "reject":\n        if (verdict.error === "UNEXPECTED_MESSAGE") this.beginClose("unexpected");\n        this.sendError(',
      ),
    ],
  },
  {
    id: "unsupported-in-version-as-unknown",
    breaks: "REQ-12.4",
    fault:
      "a version 2 type on a version 1 connection is answered as if the server did not know it",
    patches: [
      classifyInstead(
        'negotiatedVersion === 1 && header.type.startsWith("ROOM_") ? { kind: "reject", error: "UNKNOWN_MESSAGE_TYPE" } :',
      ),
    ],
  },
  {
    id: "negotiation-required-only-for-header-0",
    breaks: "REQ-4.7",
    fault:
      "before negotiation a PDU with a non-zero header version is WRONG_VERSION, not NEGOTIATION_REQUIRED",
    patches: [
      classifyInstead(
        'state === "CONNECTED" && header.version !== 0 && header.type !== "ERROR" ? { kind: "reject", error: "WRONG_VERSION" } :',
      ),
    ],
  },
  {
    id: "second-version-request-renegotiates",
    breaks: "REQ-4.8",
    fault: "a VERSION_REQUEST after negotiation is negotiated again",
    patches: [
      classifyInstead(
        'header.type === "VERSION_REQUEST" ? classify("server", "CONNECTED", null, header) :',
      ),
    ],
  },
  {
    id: "second-version-request-switches-version",
    breaks: "REQ-4.8",
    fault: "ALREADY_NEGOTIATED is answered, but the version offered the second time is adopted",
    patches: [
      p(
        SESSION,
        "    const verdict = this.shared.classify(this.state, this.negotiatedVersion, pdu);",
        '    if (pdu.type === "VERSION_REQUEST" && this.negotiatedVersion !== null) {\n      const common = pdu.versions.filter((v) => this.shared.supportedVersions.includes(v));\n      if (common.length > 0) this.negotiatedVersion = Math.max(...common);\n    }\n    const verdict = this.shared.classify(this.state, this.negotiatedVersion, pdu);',
      ),
    ],
  },
  {
    id: "chat-accepted-before-login",
    breaks: "REQ-6.6",
    fault: "CHAT before login is echoed (and logs the connection in)",
    patches: [
      classifyInstead(
        'header.type === "CHAT" && state === "NEGOTIATED" ? classify("server", "AUTHENTICATED", negotiatedVersion, header) :',
      ),
    ],
  },
  {
    id: "peer-error-never-closes",
    breaks: "REQ-8.5",
    fault: "a peer's ERROR is logged, and a closing code is ignored",
    patches: [
      p(
        "server/handlers/error.ts",
        "if (closes) session.beginClose",
        "if (closes && false) session.beginClose",
      ),
    ],
  },
  {
    id: "peer-error-closing-inverted",
    breaks: "REQ-8.5",
    fault: "the closes flag of a peer's ERROR is read the wrong way round",
    patches: [
      p(
        "server/handlers/error.ts",
        "if (closes) session.beginClose",
        "if (!closes) session.beginClose",
      ),
    ],
  },
  {
    id: "peer-error-answered",
    breaks: "REQ-8.5",
    fault: "a peer's ERROR is answered with an ERROR",
    patches: [
      p(
        "server/handlers/error.ts",
        "  if (closes) session.beginClose",
        '  session.sendError("UNEXPECTED_MESSAGE", "why an ERROR?");\n  if (closes) session.beginClose',
      ),
    ],
  },
  {
    id: "error-text-empty",
    breaks: "REQ-8.10",
    fault: "ERRORs carry no explanation",
    patches: [
      p(
        "server/outgoing-pdu.ts",
        "text: truncateUtf8(detail, MAX_STRING_BYTES.ERROR.text)",
        "text: detail.slice(0, 0)",
      ),
    ],
  },
  // --- negotiation and header versions (§4) ---
  {
    id: "chooses-lowest-version",
    breaks: "REQ-4.2",
    fault: "the lowest common version is chosen",
    patches: [
      p(
        VERSION,
        ".filter((version) => offered.has(version)).at(-1);",
        ".filter((version) => offered.has(version)).at(0);",
      ),
    ],
  },
  {
    id: "lists-only-chosen-version",
    breaks: "REQ-4.3",
    fault: "VERSION_RESPONSE OK lists only the chosen version",
    patches: [
      p(
        VERSION,
        "chosenVersion: chosen,\n      pingIntervalMs,\n      pingTimeoutMs,\n      supportedVersions: supported,",
        "chosenVersion: chosen,\n      pingIntervalMs,\n      pingTimeoutMs,\n      supportedVersions: [chosen],",
      ),
    ],
  },
  {
    id: "versions-sorted-descending",
    breaks: "REQ-4.3",
    fault: "the supported versions are sorted the wrong way",
    patches: [
      p(
        VERSION,
        "[...session.shared.supportedVersions].sort((a, b) => a - b);",
        "[...session.shared.supportedVersions].sort((a, b) => b - a);",
      ),
    ],
  },
  {
    id: "no-common-version-chooses-first",
    breaks: "REQ-4.4",
    fault: "NO_COMMON_VERSION carries a chosen version other than 0",
    patches: [p(VERSION, "chosenVersion: 0,", "chosenVersion: supported[0] ?? 0,")],
  },
  {
    id: "advertises-interval-equal-to-timeout",
    breaks: "REQ-7.6",
    fault: "the advertised ping interval is the ping timeout",
    patches: [
      p(
        VERSION,
        "chosenVersion: chosen,\n      pingIntervalMs,",
        "chosenVersion: chosen,\n      pingIntervalMs: pingTimeoutMs,",
      ),
    ],
  },
  {
    id: "error-before-negotiation-header-1",
    breaks: "REQ-4.9",
    fault: "PDUs sent before negotiation carry header version 1",
    patches: [
      p(
        "server/header-version.ts",
        '=== "zero" ? 0 : (negotiatedVersion ?? 0);',
        '=== "zero" ? 0 : (negotiatedVersion ?? 1);',
      ),
    ],
  },
  {
    id: "version-response-negotiated-header",
    breaks: "REQ-4.9",
    fault: "VERSION_RESPONSE carries the version it has just negotiated",
    patches: [
      p(
        "server/header-version.ts",
        '=== "zero" ? 0 : (negotiatedVersion ?? 0);',
        '=== "zero" ? (negotiatedVersion ?? 0) : (negotiatedVersion ?? 0);',
      ),
    ],
  },
  {
    id: "wrong-header-version-accepted-for-ping",
    breaks: "REQ-4.10",
    fault: "a PING is accepted whatever its header version",
    patches: [
      classifyInstead(
        'header.type === "PING" && state !== "CONNECTED" ? classify("server", state, negotiatedVersion, { ...header, version: negotiatedVersion ?? 0 }) :',
      ),
    ],
  },
  // --- login (§5) ---
  {
    id: "three-strikes-off-by-one",
    breaks: "REQ-5.7",
    fault: "TOO_MANY_LOGIN_ATTEMPTS comes after the fourth failure, not the third",
    patches: [
      p(
        LOGIN,
        "if (failedLogins >= LIMITS.maxLoginAttempts) {",
        "if (failedLogins > LIMITS.maxLoginAttempts) {",
      ),
    ],
  },
  {
    id: "already-logged-in-counts-as-attempt",
    breaks: "REQ-5.11",
    fault: "ALREADY_LOGGED_IN answers count towards the limit of failed logins",
    patches: [
      p(
        LOGIN,
        "  if (lease === null) {\n",
        '  if (lease === null) {\n    session.failedLogins += 1;\n    if (session.failedLogins >= LIMITS.maxLoginAttempts) {\n      return {\n        outcome: "ALREADY_LOGGED_IN",\n        reply: { type: "LOGIN_RESPONSE", status: "ALREADY_LOGGED_IN", text: LOGIN_TEXTS.ALREADY_LOGGED_IN },\n        followUpError: { code: "TOO_MANY_LOGIN_ATTEMPTS", detail: "too many attempts" },\n      };\n    }\n',
      ),
    ],
  },
  {
    id: "in-use-revealed-to-wrong-password",
    breaks: "REQ-5.4",
    fault: "a wrong password for a user who is logged in is answered ALREADY_LOGGED_IN",
    patches: [
      p(
        LOGIN,
        "  if (!valid) {",
        "  if (!valid && session.shared.directory.find(username) === undefined) {",
      ),
    ],
  },
  {
    id: "usernames-folded-to-lower-case",
    breaks: "REQ-5.10",
    fault: "usernames are compared case-insensitively",
    patches: [
      p(
        LOGIN,
        "await authenticator.verify(username, password);",
        "await authenticator.verify(username.toLowerCase(), password);",
      ),
    ],
  },
  {
    id: "usernames-trimmed",
    breaks: "REQ-5.10",
    fault: "usernames are trimmed before the lookup",
    patches: [
      p(
        LOGIN,
        "await authenticator.verify(username, password);",
        "await authenticator.verify(username.trim(), password);",
      ),
    ],
  },
  {
    id: "usernames-normalised",
    breaks: "REQ-5.10",
    fault: "usernames are Unicode-normalised (NFC) before the lookup",
    patches: [
      p(
        LOGIN,
        "await authenticator.verify(username, password);",
        'await authenticator.verify(username.normalize("NFC"), password);',
      ),
    ],
  },
  {
    id: "passwords-folded-to-lower-case",
    breaks: "REQ-5.10",
    fault: "passwords are compared case-insensitively",
    patches: [
      p(
        LOGIN,
        "await authenticator.verify(username, password);",
        "await authenticator.verify(username, password.toLowerCase()) || await authenticator.verify(username, password);",
      ),
    ],
  },
  {
    id: "login-lease-case-insensitive",
    breaks: "REQ-5.10",
    fault: "the one-login-per-user lease is keyed on the lower-cased name",
    patches: [
      p(
        LOGIN,
        "const lease = await logins.acquire(username);",
        "const lease = await logins.acquire(username.toLowerCase());",
      ),
    ],
  },
  {
    id: "already-logged-in-text",
    breaks: "REQ-5.5",
    fault: "ALREADY_LOGGED_IN says something else than the spec's text",
    patches: [
      p(
        LOGIN,
        'ALREADY_LOGGED_IN: "already logged in from another location",',
        'ALREADY_LOGGED_IN: "user busy",',
      ),
    ],
  },
  {
    id: "login-freed-late",
    breaks: "REQ-9.1",
    fault: "the login is freed a moment after the close, not before it",
    patches: [
      p(
        SESSION,
        "      Promise.resolve()\n        .then(() => lease.release())",
        "      new Promise((resolve) => setTimeout(resolve, 300))\n        .then(() => lease.release())",
      ),
    ],
  },
  {
    id: "login-not-freed-on-reset",
    breaks: "REQ-5.6",
    fault: "a connection the client resets keeps its login",
    patches: [
      p(
        SESSION,
        "  private finish(reason: string): void {\n    this.enterClosing(reason, false);",
        "  private finish(reason: string): void {\n    if (!this.isClosing) this.lease = null;\n    this.enterClosing(reason, false);",
      ),
    ],
  },
  // --- chat (§6) ---
  {
    id: "echo-text-trimmed",
    breaks: "REQ-6.1",
    fault: "the echoed text is trimmed",
    patches: [p("server/handlers/chat.ts", "text: pdu.text }", "text: pdu.text.trim() }")],
  },
  {
    id: "echo-text-normalised",
    breaks: "REQ-3.6",
    fault: "the echoed text is Unicode-normalised (NFC)",
    patches: [
      p("server/handlers/chat.ts", "text: pdu.text }", 'text: pdu.text.normalize("NFC") }'),
    ],
  },
  {
    id: "echo-text-cut-at-nul",
    breaks: "REQ-3.6",
    fault: "the echoed text stops at the first U+0000, as a C string would",
    patches: [
      p(
        "server/handlers/chat.ts",
        "text: pdu.text }",
        'text: pdu.text.split("\\u0000")[0] ?? "" }',
      ),
    ],
  },
  {
    id: "echo-id-signed",
    breaks: "REQ-6.8",
    fault: "message ids above 2^31-1 lose their top bit",
    patches: [
      p(
        "server/handlers/chat.ts",
        "messageId: pdu.messageId,",
        "messageId: pdu.messageId & 0x7fffffff,",
      ),
    ],
  },
  {
    id: "echo-resent-after-backpressure",
    breaks: "REQ-6.3",
    fault:
      "an echo whose write reported a full socket is taken as unsent and written again on drain",
    patches: [
      p(
        SESSION,
        "  send(pdu: OutgoingPdu): boolean {\n    return this.channel.send(withHeaderVersion(pdu, this.negotiatedVersion));",
        '  send(pdu: OutgoingPdu): boolean {\n    const self = this as unknown as { retry?: Pdu[] };\n    const stamped = withHeaderVersion(pdu, this.negotiatedVersion);\n    const sent = this.channel.send(stamped);\n    if (!sent && pdu.type === "CHAT_ECHO") {\n      if (self.retry === undefined) {\n        const retry: Pdu[] = [];\n        self.retry = retry;\n        this.channel.onDrain(() => {\n          for (const again of retry.splice(0)) this.channel.send(again);\n        });\n      }\n      self.retry.push(stamped);\n    }\n    return sent;',
      ),
    ],
  },
  {
    id: "echo-dropped-under-backpressure",
    breaks: "REQ-6.3",
    fault: "an echo is dropped when the socket is full",
    patches: [
      p(
        CHANNEL,
        "    if (this.isClosing) return false;\n    return this.write(encode(pdu));",
        '    if (this.isClosing) return false;\n    if (pdu.type === "CHAT_ECHO" && this.stream.writableNeedDrain) return false;\n    return this.write(encode(pdu));',
      ),
    ],
  },
  // --- keep-alive and timers (§7) ---
  {
    id: "pong-token-wraps",
    breaks: "REQ-7.2",
    fault: "the PONG token is taken modulo 2^32-1",
    patches: [
      p("server/handlers/ping.ts", "token: pdu.token }", "token: pdu.token % 0xffffffff }"),
    ],
  },
  {
    id: "refused-pdus-keep-no-one-alive",
    breaks: "REQ-7.3",
    fault: "only accepted PDUs restart the ping clock",
    patches: [
      p(
        SESSION,
        "    if (this.isClosing) return;\n    this.touch();\n    if (this.log.isLevelEnabled",
        "    if (this.isClosing) return;\n    if (this.log.isLevelEnabled",
      ),
      p(
        SESSION,
        '      case "accept":\n        this.accept(pdu, verdict.transitions);',
        '      case "accept":\n        this.touch();\n        this.accept(pdu, verdict.transitions);',
      ),
    ],
  },
  {
    id: "flow-refusals-keep-no-one-alive",
    breaks: "REQ-7.3",
    fault: "a PDU refused for its state or version does not restart the ping clock",
    patches: [
      p(
        SESSION,
        "    if (this.isClosing) return;\n    this.touch();\n    if (this.log.isLevelEnabled",
        "    if (this.isClosing) return;\n    if (this.log.isLevelEnabled",
      ),
      p(
        SESSION,
        "    const verdict = this.shared.classify(this.state, this.negotiatedVersion, pdu);",
        '    const verdict = this.shared.classify(this.state, this.negotiatedVersion, pdu);\n    if (verdict.kind !== "reject") this.touch();',
      ),
    ],
  },
  {
    id: "bad-frames-keep-no-one-alive",
    breaks: "REQ-7.3",
    fault: "a whole frame the decoder refuses does not restart the ping clock",
    patches: [p(SESSION, "    if (!fatal) this.touch();\n", "")],
  },
  {
    id: "own-sends-restart-ping-clock",
    breaks: "REQ-7.3",
    fault: "what the server sends a session restarts its ping clock, as if it had heard from it",
    patches: [
      p(
        "server/session-participant.ts",
        "    this.outbox ??= this.createOutbox();",
        "    (this.owner as unknown as { touch(): void }).touch();\n    this.outbox ??= this.createOutbox();",
      ),
    ],
  },
  {
    id: "ping-timeout-uses-interval",
    breaks: "REQ-7.4",
    fault: "the ping deadline is computed from the ping interval",
    patches: [
      p(
        SESSION,
        "const pingDeadline = seen + pingTimeoutMs;",
        "const pingDeadline = seen + this.shared.timers.pingIntervalMs;",
      ),
    ],
  },
  {
    id: "ping-timeout-late",
    breaks: "REQ-7.4",
    fault: "the ping deadline is the timeout plus its tolerance plus a second",
    patches: [
      p(
        SESSION,
        "const pingDeadline = seen + pingTimeoutMs;",
        "const pingDeadline = seen + pingTimeoutMs + 2000;",
      ),
    ],
  },
  {
    id: "handshake-clock-from-negotiation",
    breaks: "REQ-7.11",
    fault: "the handshake clock starts at negotiation, not at the connect",
    patches: [
      p(
        SESSION,
        "    this.state = next;\n",
        '    this.state = next;\n    if (next === "NEGOTIATED") (this as unknown as { openedAt: number }).openedAt = this.shared.now();\n',
      ),
    ],
  },
  {
    id: "handshake-clock-restarted-by-login-attempt",
    breaks: "REQ-7.11",
    fault: "each failed login restarts the handshake clock",
    patches: [
      p(
        LOGIN,
        "    session.failedLogins += 1;\n    const failedLogins",
        "    session.failedLogins += 1;\n    (session as unknown as { openedAt: number }).openedAt = performance.now();\n    session.shared.timeouts.reschedule(session as never);\n    const failedLogins",
      ),
    ],
  },
  {
    id: "handshake-only-before-negotiation",
    breaks: "REQ-7.9",
    fault: "the handshake timeout covers only CONNECTED, not NEGOTIATED",
    patches: [
      p(
        SESSION,
        'if (this.state !== "AUTHENTICATED") deadline = this.openedAt + handshakeTimeoutMs;',
        'if (this.state === "CONNECTED") deadline = this.openedAt + handshakeTimeoutMs;',
      ),
    ],
  },
  {
    id: "handshake-timeout-late",
    breaks: "REQ-7.9",
    fault: "the handshake deadline is one ping timeout late",
    patches: [
      p(
        SESSION,
        'if (this.state !== "AUTHENTICATED") deadline = this.openedAt + handshakeTimeoutMs;',
        'if (this.state !== "AUTHENTICATED") deadline = this.openedAt + handshakeTimeoutMs + this.shared.timers.pingTimeoutMs;',
      ),
    ],
  },
  // --- version 2: direct messages (§12.5) ---
  {
    id: "dm-to-version-1-session",
    breaks: "REQ-12.11",
    fault: "a version 1 recipient counts as reachable: DELIVERED, and nothing arrives",
    patches: [
      p(
        "server/handlers/direct-send.ts",
        'if (recipient === undefined || !recipient.speaks("DIRECT_MESSAGE")) {',
        "if (recipient === undefined) {",
      ),
    ],
  },
  {
    id: "dm-from-recipient-name",
    breaks: "REQ-12.9",
    fault: "the relayed direct message names the recipient as its sender",
    patches: [
      p("server/handlers/direct-send.ts", "const from = session.me().user;", "const from = to;"),
    ],
  },
  {
    id: "dm-relayed-before-status",
    breaks: "REQ-12.7",
    fault: "the direct message is relayed before the sender's DIRECT_STATUS",
    patches: [
      p(
        "server/handlers/direct-send.ts",
        "  const from = session.me().user;\n  return {",
        '  const from = session.me().user;\n  recipient.deliver({ type: "DIRECT_MESSAGE", messageId, from, text });\n  return {',
      ),
      p(
        "server/handlers/direct-send.ts",
        '    fanOut: () => recipient.deliver({ type: "DIRECT_MESSAGE", messageId, from, text }),',
        "    fanOut: () => {},",
      ),
    ],
  },
  {
    id: "dm-status-id-zero",
    breaks: "REQ-12.9",
    fault: "DIRECT_STATUS DELIVERED carries message id 0",
    patches: [
      p(
        "server/handlers/direct-send.ts",
        'reply: { type: "DIRECT_STATUS", messageId, status: "DELIVERED" },',
        'reply: { type: "DIRECT_STATUS", messageId: 0, status: "DELIVERED" },',
      ),
    ],
  },
  {
    id: "dm-to-self-not-delivered",
    breaks: "REQ-12.12",
    fault: "a direct message to oneself is NOT_DELIVERED",
    patches: [
      p(
        "server/handlers/direct-send.ts",
        "if (recipient === undefined || ",
        "if (recipient === undefined || recipient === session.me() || ",
      ),
    ],
  },
  // --- version 2: rooms (§12.6) ---
  {
    id: "joined-not-sent-to-joiner",
    breaks: "REQ-12.13",
    fault: "the joiner is not told of its own join",
    patches: [
      p(
        "server/handlers/room-join.ts",
        'rooms.broadcast(room, roomEvent(room, me.user, "JOINED"))',
        'rooms.broadcast(room, roomEvent(room, me.user, "JOINED"), { exceptUser: me.user })',
      ),
    ],
  },
  {
    id: "room-names-folded",
    breaks: "REQ-12.33",
    fault: "room names are folded to lower case on join",
    patches: [
      p(
        "server/handlers/room-join.ts",
        "const status = rooms.join(me, room);",
        "const status = rooms.join(me, room.toLowerCase());",
      ),
    ],
  },
  {
    id: "left-sent-to-leaver",
    breaks: "REQ-12.15",
    fault: "the leaver is told of its own leave too",
    patches: [
      p(
        "server/handlers/room-leave.ts",
        'fanOut: () => rooms.broadcast(room, roomEvent(room, me.user, "LEFT")),',
        'fanOut: () => {\n      rooms.broadcast(room, roomEvent(room, me.user, "LEFT"));\n      me.deliver(roomEvent(room, me.user, "LEFT"));\n    },',
      ),
    ],
  },
  {
    id: "leave-tells-nobody",
    breaks: "REQ-12.15",
    fault: "a leave is not announced to the remaining members",
    patches: [
      p(
        "server/handlers/room-leave.ts",
        'fanOut: () => rooms.broadcast(room, roomEvent(room, me.user, "LEFT")),',
        "fanOut: () => {},",
      ),
    ],
  },
  {
    id: "room-say-skips-sender",
    breaks: "REQ-12.16",
    fault: "a room message is not sent back to its sender",
    patches: [
      p(
        "server/handlers/room-say.ts",
        'rooms.broadcast(room, { type: "ROOM_MESSAGE", messageId, room, from: me.user, text }),',
        'rooms.broadcast(\n        room,\n        { type: "ROOM_MESSAGE", messageId, room, from: me.user, text },\n        { exceptUser: me.user },\n      ),',
      ),
    ],
  },
  {
    id: "room-say-by-non-member-relayed",
    breaks: "REQ-12.17",
    fault: "anyone may say something in a room that exists",
    patches: [
      p(
        "server/handlers/room-say.ts",
        "if (!rooms.isMember(me, room)) {",
        "if (!rooms.isMember(me, room) && !rooms.roomNames().includes(room)) {",
      ),
    ],
  },
  {
    id: "not-member-id-zero",
    breaks: "REQ-12.17",
    fault: "the NOT_MEMBER answer to a ROOM_SAY carries request id 0",
    patches: [
      p(
        "server/handlers/room-say.ts",
        'reply: { type: "ROOM_RESULT", requestId: messageId, status: "NOT_MEMBER", room },',
        'reply: { type: "ROOM_RESULT", requestId: 0, status: "NOT_MEMBER", room },',
      ),
    ],
  },
  {
    id: "too-many-rooms-off-by-one",
    breaks: "REQ-12.14",
    fault: "one room more than the limit may be joined",
    patches: [
      p(
        ROOMS,
        '>= this.maxRoomsPerUser) return "TOO_MANY_ROOMS";',
        '> this.maxRoomsPerUser) return "TOO_MANY_ROOMS";',
      ),
    ],
  },
  {
    id: "room-full-off-by-one",
    breaks: "REQ-12.14",
    fault: "a room takes one member more than the limit",
    patches: [
      p(
        ROOMS,
        '>= this.maxMembersPerRoom) return "ROOM_FULL";',
        '> this.maxMembersPerRoom) return "ROOM_FULL";',
      ),
    ],
  },
  {
    id: "room-full-before-too-many-rooms",
    breaks: "REQ-12.14",
    fault: "ROOM_FULL is checked before TOO_MANY_ROOMS",
    patches: [
      p(
        ROOMS,
        '    if ((rooms?.size ?? 0) >= this.maxRoomsPerUser) return "TOO_MANY_ROOMS";\n    if ((members?.size ?? 0) >= this.maxMembersPerRoom) return "ROOM_FULL";',
        '    if ((members?.size ?? 0) >= this.maxMembersPerRoom) return "ROOM_FULL";\n    if ((rooms?.size ?? 0) >= this.maxRoomsPerUser) return "TOO_MANY_ROOMS";',
      ),
    ],
  },
  {
    id: "already-member-not-checked",
    breaks: "REQ-12.14",
    fault: "joining a room one is in is answered OK (and JOINED again)",
    patches: [p(ROOMS, '    if (members?.has(member)) return "ALREADY_MEMBER";\n', "")],
  },
  {
    id: "room-name-pattern-not-checked",
    breaks: "REQ-12.14",
    fault: "any name of 1 to 32 bytes is a room name",
    patches: [
      p(
        ROOMS,
        "return PATTERNS.roomName.test(room);",
        "return room.length > 0 && Buffer.byteLength(room) <= 32;",
      ),
    ],
  },
  {
    id: "empty-room-kept",
    breaks: "REQ-12.19",
    fault: "a room whose last member left still exists",
    patches: [p(ROOMS, "    if (members.size === 0) this.members.delete(room);\n", "")],
  },
  {
    id: "no-left-on-session-end",
    breaks: "REQ-12.18",
    fault: "a session that ends leaves its rooms without telling the other members",
    patches: [
      p(
        SESSION,
        '    for (const room of left) rooms.broadcast(room, roomEvent(room, participant.user, "LEFT"));\n',
        "",
      ),
    ],
  },
  {
    id: "room-fan-out-reordered-under-backpressure",
    breaks: "REQ-12.8",
    fault:
      "a relayed PDU written while the member's socket is full is held back and sent after the next one",
    patches: [
      p(
        OUTBOX,
        "    this.channel.sendFrame(frame);\n  }",
        "    const self = this as unknown as { held?: Uint8Array };\n    if (this.channel.writableNeedDrain && self.held === undefined) {\n      self.held = frame;\n      return;\n    }\n    this.channel.sendFrame(frame);\n    if (self.held !== undefined) {\n      this.channel.sendFrame(self.held);\n      self.held = undefined;\n    }\n  }",
      ),
    ],
  },
  {
    id: "room-fan-out-dropped-under-backpressure",
    breaks: "REQ-12.16",
    fault: "relayed PDUs are dropped while the member's socket is full",
    patches: [
      p(
        OUTBOX,
        "    this.channel.sendFrame(frame);\n  }",
        "    if (this.backlogBytes === 0) this.channel.sendFrame(frame);\n  }",
      ),
    ],
  },
  // --- version 2: lists (§12.6) ---
  {
    id: "names-sorted-by-utf16",
    breaks: "REQ-12.33",
    fault: "names are compared by UTF-16 code units, not code points",
    patches: [
      p(
        "server/name-list.ts",
        "    const left = a.codePointAt(index)!;\n    const right = b.codePointAt(index)!;",
        "    const left = a.charCodeAt(index);\n    const right = b.charCodeAt(index);",
      ),
    ],
  },
  {
    id: "names-sorted-by-locale",
    breaks: "REQ-12.19",
    fault: "names are sorted with localeCompare",
    patches: [
      p(
        "server/name-list.ts",
        "return [...names].sort(compareNames);",
        "return [...names].sort((a, b) => a.localeCompare(b));",
      ),
    ],
  },
  {
    id: "page-skips-first-name",
    breaks: "REQ-12.20",
    fault: "a page starts one name after its offset",
    patches: [
      p(
        "server/name-list.ts",
        "names: sorted.slice(offset, offset + max)",
        "names: sorted.slice(offset + 1, offset + 1 + max)",
      ),
    ],
  },
  {
    id: "total-is-page-size",
    breaks: "REQ-12.19",
    fault: "the total counts the names of the page, not of the list",
    patches: [
      p(
        "server/name-list.ts",
        "return { total: sorted.length,",
        "return { total: Math.min(sorted.length, max),",
      ),
    ],
  },
  {
    id: "who-missing-room-is-empty",
    breaks: "REQ-12.21",
    fault: "a room that does not exist is listed as an empty room",
    patches: [
      p(
        "server/handlers/who-request.ts",
        ": rooms.memberNames(room);",
        ": (rooms.memberNames(room) ?? []);",
      ),
    ],
  },
  {
    id: "who-room-case-insensitive",
    breaks: "REQ-12.21",
    fault: "WHO_REQUEST finds a room by its lower-cased name too",
    patches: [
      p(
        "server/handlers/who-request.ts",
        ": rooms.memberNames(room);",
        ": (rooms.memberNames(room) ?? rooms.memberNames(room.toLowerCase()));",
      ),
    ],
  },
  {
    id: "version-1-users-not-listed",
    breaks: "REQ-12.20",
    fault: "only version 2 sessions are in the directory of who is online",
    patches: [
      p(
        SESSION,
        "    this.shared.directory.add(participant);",
        "    if (version >= 2) this.shared.directory.add(participant);",
      ),
    ],
  },
  // --- version 2: typing (§12.7) ---
  {
    id: "no-typing-rate-limit",
    breaks: "REQ-12.27",
    fault: "TYPING is never rate-limited",
    patches: [
      p(
        TYPING,
        "if (last !== undefined && now - last < this.minIntervalMs) return false;",
        "if (last !== undefined && now - last < 0) return false;",
      ),
    ],
  },
  {
    id: "typing-rate-limit-doubled",
    breaks: "REQ-12.28",
    fault: "the rate limit refuses TYPINGs up to twice the minimum interval",
    patches: [
      p(
        TYPING,
        "now - last < this.minIntervalMs) return false;",
        "now - last < 2 * this.minIntervalMs) return false;",
      ),
    ],
  },
  {
    id: "refused-typing-counts-as-accepted",
    breaks: "REQ-12.28",
    fault: "a refused TYPING restarts the rate limit's interval",
    patches: [
      p(
        TYPING,
        "if (last !== undefined && now - last < this.minIntervalMs) return false;",
        "if (last !== undefined && now - last < this.minIntervalMs) {\n      this.lastAccepted.set(typist, now);\n      return false;\n    }",
      ),
    ],
  },
  {
    id: "typing-notice-to-typist",
    breaks: "REQ-12.23",
    fault: "a TYPING to a room is relayed to the typist too",
    patches: [
      p(
        TYPING,
        "return this.options.rooms.broadcast(target, notice, { exceptUser: typist });",
        "return this.options.rooms.broadcast(target, notice);",
      ),
    ],
  },
  {
    id: "typing-not-member-id",
    breaks: "REQ-12.24",
    fault: "NOT_MEMBER for a TYPING carries request id 1",
    patches: [
      p(
        "server/handlers/typing.ts",
        'reply: { type: "ROOM_RESULT", requestId: 0, status: "NOT_MEMBER", room: target },',
        'reply: { type: "ROOM_RESULT", requestId: 1, status: "NOT_MEMBER", room: target },',
      ),
    ],
  },
  {
    id: "typing-never-expires",
    breaks: "REQ-12.25",
    fault: "typing indicators are never timed out",
    patches: [
      p(
        TYPING,
        "    this.indicators.set(key, created);\n    this.options.scheduler.track(created);",
        "    this.indicators.set(key, created);",
      ),
    ],
  },
  {
    id: "expiry-after-stopped",
    breaks: "REQ-12.26",
    fault: "a relayed STOPPED leaves the indicator to expire later",
    patches: [
      p(
        TYPING,
        "      if (indicator !== undefined) this.drop(indicator);\n      return;",
        "      return;",
      ),
    ],
  },
  {
    id: "fresher-started-does-not-refresh",
    breaks: "REQ-12.26",
    fault: "a fresher STARTED does not push the indicator's expiry back",
    patches: [p(TYPING, "      indicator.startedAt = this.options.now();\n", "")],
  },
  {
    id: "typing-to-version-1-user",
    breaks: "REQ-12.22",
    fault: "a typing notice for a version 1 user is counted as delivered and its expiry armed",
    patches: [
      p(
        TYPING,
        'if (recipient === undefined || !recipient.speaks("TYPING_NOTICE")) return 0;',
        "if (recipient === undefined) return 0;",
      ),
    ],
  },
  // --- version 2: presence (§12.8) ---
  {
    id: "presence-to-self",
    breaks: "REQ-12.30",
    fault: "a subscriber is told of its own logins and ends",
    patches: [
      p(
        "server/presence-hub.ts",
        "      if (subscriber !== about) subscriber.deliver(event);",
        "      subscriber.deliver(event);",
      ),
    ],
  },
  {
    id: "presence-off-ignored",
    breaks: "REQ-12.31",
    fault: "PRESENCE_SUBSCRIBE OFF does not unsubscribe",
    patches: [p("server/presence-hub.ts", "    else this.subscribers.delete(participant);", "")],
  },
  {
    id: "no-offline",
    breaks: "REQ-12.30",
    fault: "OFFLINE is never announced",
    patches: [p(SESSION, '    presence.announce(participant, "OFFLINE");\n', "")],
  },
  {
    id: "version-1-logins-not-announced",
    breaks: "REQ-12.30",
    fault: "ONLINE is announced for version 2 logins only",
    patches: [
      p(
        SESSION,
        '    this.shared.presence.announce(participant, "ONLINE");',
        '    if (version >= 2) this.shared.presence.announce(participant, "ONLINE");',
      ),
    ],
  },
  {
    id: "refused-login-announced",
    breaks: "REQ-12.30",
    fault: "ONLINE is announced for a login refused ALREADY_LOGGED_IN",
    patches: [
      p(
        LOGIN,
        '    session.log.info({ user: username, reason: "ALREADY_LOGGED_IN" }, "login rejected");',
        '    session.log.info({ user: username, reason: "ALREADY_LOGGED_IN" }, "login rejected");\n    session.shared.presence.announce({ user: username } as never, "ONLINE");',
      ),
    ],
  },
  // --- lifecycle (§9) ---
  {
    id: "shutdown-without-error",
    breaks: "REQ-9.4",
    fault: "a shutdown closes every connection without ERROR SERVER_SHUTDOWN",
    patches: [
      p(
        SESSION,
        '    this.sendError("SERVER_SHUTDOWN", "the server is shutting down", { quiet: true });',
        '    this.beginClose("shutdown", { quiet: true });',
      ),
    ],
  },
  {
    id: "server-full-not-enforced",
    breaks: "REQ-9.5",
    fault: "the connection limit is off by one: one connection more is served",
    patches: [
      p(
        "server/parrot-server.ts",
        "if (sessions.size >= maxConnections) {",
        "if (sessions.size > maxConnections) {",
      ),
    ],
  },
  {
    id: "server-full-in-version-1",
    breaks: "REQ-9.5",
    fault: "SERVER_FULL carries header version 1",
    patches: [
      p(
        "server/parrot-server.ts",
        "channel.send(withHeaderVersion(errorPdu(code, detail), null));",
        "channel.send(withHeaderVersion(errorPdu(code, detail), 1));",
      ),
    ],
  },
  {
    id: "logout-answered",
    breaks: "REQ-9.2",
    fault: "LOGOUT is answered with a PONG before the close",
    patches: [
      p(
        "server/handlers/logout.ts",
        '  session.log.info({ user: session.user }, "logout");',
        '  session.log.info({ user: session.user }, "logout");\n  session.send({ type: "PONG", token: 0 });',
      ),
    ],
  },
  {
    id: "version-1-sessions-never-time-out",
    breaks: "REQ-7.4",
    fault:
      "sessions that negotiated version 1 have no ping deadline (only version 2 ones are timed out)",
    patches: [
      p(
        SESSION,
        "    if (this.isClosing) return null;\n",
        "    if (this.isClosing || this.negotiatedVersion === 1) return null;\n",
      ),
    ],
  },
];
