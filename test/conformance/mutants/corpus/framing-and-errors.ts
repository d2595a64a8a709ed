/** Planted faults: framing and errors. See ../corpus.ts. */
import { CHANNEL, classifyInstead, type Mutant, p, SESSION } from "./shared.ts";

export const FRAMING_AND_ERRORS: Mutant[] = [
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
        "    this.send(errorPdu(code, detail));\n    if (closes)",
        '    this.send(errorPdu(code, detail));\n    if (closes && code !== "MALFORMED_PAYLOAD")',
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
];
