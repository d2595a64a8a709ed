/** Planted faults: chat and timers. See ../corpus.ts. */
import { CHANNEL, DEADLINE, LOGIN, type Mutant, p, SESSION } from "./shared.ts";

export const CHAT_AND_TIMERS: Mutant[] = [
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
  // Survives, not reached: an echo meets a full socket only when relayed PDUs alone filled it (they
  // never hold a member unread, REQ-12.41) and the member then sends a CHAT; no scenario does yet.
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
        DEADLINE,
        "const pingDeadline = seen + timers.pingTimeoutMs;",
        "const pingDeadline = seen + timers.pingIntervalMs;",
      ),
    ],
  },
  {
    id: "ping-timeout-late",
    breaks: "REQ-7.4",
    fault: "the ping deadline is the timeout plus its tolerance plus a second",
    patches: [
      p(
        DEADLINE,
        "const pingDeadline = seen + timers.pingTimeoutMs;",
        "const pingDeadline = seen + timers.pingTimeoutMs + 2000;",
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
        DEADLINE,
        'if (state !== "AUTHENTICATED" && !clock.waiting) {',
        'if (state === "CONNECTED" && !clock.waiting) {',
      ),
    ],
  },
  {
    id: "handshake-timeout-late",
    breaks: "REQ-7.9",
    fault: "the handshake deadline is one ping timeout late",
    patches: [
      p(
        DEADLINE,
        "    deadline = clock.openedAt + timers.handshakeTimeoutMs;",
        "    deadline = clock.openedAt + timers.handshakeTimeoutMs + timers.pingTimeoutMs;",
      ),
    ],
  },
];
