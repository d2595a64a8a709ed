/**
 * Planted faults for the requirements no earlier part of the corpus broke (issue 11: a rule without a
 * mutant is a rule nobody has shown the suite can defend). See ../corpus.ts.
 */
import { classifyInstead, type Mutant, OUTBOX, p, SESSION } from "./shared.ts";

const closesToo = (code: string) =>
  p(
    SESSION,
    "    const closes = ERRORS[code].closes;",
    `    const closes = ERRORS[code].closes || code === "${code}";`,
  );

export const RULES_FIRST_PLANTED: Mutant[] = [
  {
    id: "authentication-required-closes",
    breaks: "REQ-8.4",
    fault: "a PDU refused AUTHENTICATION_REQUIRED closes the connection, as if the code closed",
    patches: [closesToo("AUTHENTICATION_REQUIRED")],
  },
  {
    id: "already-authenticated-closes",
    breaks: "REQ-5.8",
    fault: "a second LOGIN_REQUEST after login closes the connection (and frees the login)",
    patches: [closesToo("ALREADY_AUTHENTICATED")],
  },
  {
    id: "unsupported-in-version-closes",
    breaks: "REQ-8.7",
    fault: "a version 2 type on a version 1 connection is refused and the connection closed",
    patches: [closesToo("UNSUPPORTED_IN_VERSION")],
  },
  {
    id: "only-pings-keep-alive",
    breaks: "REQ-7.5",
    fault: "only PINGs restart the ping clock; a client that chats without pinging is timed out",
    patches: [
      p(
        SESSION,
        "    if (this.isClosing) return;\n    this.touch();\n    if (this.log.isLevelEnabled",
        '    if (this.isClosing) return;\n    if (pdu.type === "PING") this.touch();\n    if (this.log.isLevelEnabled',
      ),
    ],
  },
  {
    id: "lowest-common-version",
    breaks: "REQ-12.1",
    fault: "the lowest common version is chosen, not the highest",
    patches: [
      p(
        "server/handlers/version-request.ts",
        "supported.filter((version) => offered.has(version)).at(-1);",
        "supported.filter((version) => offered.has(version)).at(0);",
      ),
    ],
  },
  {
    id: "single-offer-gets-newest",
    breaks: "REQ-12.2",
    fault: "a client offering one version is given the server's newest, whatever it offered",
    patches: [
      p(
        "server/handlers/version-request.ts",
        "  const chosen = supported.filter((version) => offered.has(version)).at(-1);",
        "  const chosen =\n    pdu.versions.length === 1 && supported.includes(pdu.versions[0]!)\n      ? supported.at(-1)\n      : supported.filter((version) => offered.has(version)).at(-1);",
      ),
    ],
  },
  {
    id: "version-2-type-before-login-is-negotiation-required",
    breaks: "REQ-12.5",
    fault:
      "a version 2 type before login is refused NEGOTIATION_REQUIRED, not AUTHENTICATION_REQUIRED",
    patches: [
      classifyInstead(
        'state === "NEGOTIATED" && negotiatedVersion === 2 && (header.type.startsWith("ROOM_") || header.type === "DIRECT_SEND") ? { kind: "reject", error: "NEGOTIATION_REQUIRED" } :',
      ),
    ],
  },
  {
    id: "full-text-cut-by-one",
    breaks: "REQ-6.4",
    fault:
      "a CHAT of exactly 4096 bytes is echoed one character short (an off-by-one on the limit)",
    patches: [
      p(
        "server/handlers/chat.ts",
        "text: pdu.text }",
        "text: Buffer.byteLength(pdu.text) >= 4096 ? pdu.text.slice(0, -1) : pdu.text }",
      ),
    ],
  },
  {
    id: "presence-subscribe-acknowledged",
    breaks: "REQ-12.32",
    fault: "PRESENCE_SUBSCRIBE is acknowledged with a PONG",
    patches: [
      p(
        "server/handlers/presence-subscribe.ts",
        '() => ({ outcome: "OK" })',
        '() => ({ outcome: "OK", reply: { type: "PONG", token: 0 } })',
      ),
    ],
  },
  {
    id: "direct-message-copied-to-sender",
    breaks: "REQ-12.10",
    fault: "a direct message is also relayed to the sender's own session (a copy for its history)",
    patches: [
      p(
        "server/handlers/direct-send.ts",
        "        return bus.publish(audience, directMessageV3(stored));",
        '        bus.publish({ kind: "namedUser", user: from }, directMessageV3(stored));\n        return bus.publish(audience, directMessageV3(stored));',
      ),
    ],
  },
  {
    id: "typing-not-member-not-counted",
    breaks: "REQ-12.40",
    fault: "a TYPING answered NOT_MEMBER does not count towards the rate limit",
    patches: [
      p(
        "server/handlers/typing.ts",
        '      : {\n          outcome: "NOT_MEMBER",',
        '      : (tracker as unknown as { lastAccepted: WeakMap<object, number> }).lastAccepted.delete(me) && {\n          outcome: "NOT_MEMBER",',
      ),
    ],
  },
  {
    id: "relay-bound-far-too-high",
    breaks: "REQ-12.37",
    fault: "the relay bound is compared in the wrong unit: a hundred times the configured bytes",
    patches: [
      p(
        OUTBOX,
        "if (this.backlogBytes > this.options.maxBacklogBytes) {",
        "if (this.backlogBytes > 100 * this.options.maxBacklogBytes) {",
      ),
    ],
  },
  {
    id: "relay-bound-below-the-least",
    breaks: "REQ-12.38",
    fault:
      "the relay bound is the configured bytes over 64: 16 KiB, below limits.minRelayBacklogBytes",
    patches: [
      p(
        OUTBOX,
        "if (this.backlogBytes > this.options.maxBacklogBytes) {",
        "if (this.backlogBytes > this.options.maxBacklogBytes / 64) {",
      ),
    ],
  },
];
