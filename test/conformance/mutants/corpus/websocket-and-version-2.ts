/**
 * Planted faults in the WebSocket binding (spec §2.3; judged over `--transport ws`) and in the
 * version 2 features the rest of the corpus breaks least (typing expiry, names as byte strings).
 * See ../corpus.ts.
 */
import { type Mutant, p, TYPING } from "./shared.ts";

const WS_STREAM = "transport/websocket/websocket-stream.ts";
const WS_LISTENER = "transport/websocket/websocket-listener.ts";
const DIRECTORY = "server/session-directory.ts";

export const WEBSOCKET_AND_VERSION_2: Mutant[] = [
  // --- the WebSocket binding (§2.3) ---
  {
    id: "ws-text-message-closes-normally",
    breaks: "REQ-2.13",
    transport: "ws",
    fault: "a text message closes the WebSocket with 1000, not 1003",
    patches: [
      p(
        WS_STREAM,
        'socket.close(CLOSE_UNSUPPORTED_DATA, "Parrot is carried in binary messages only");',
        'socket.close(CLOSE_NORMAL, "Parrot is carried in binary messages only");',
      ),
    ],
  },
  {
    id: "ws-text-message-read-as-bytes",
    breaks: "REQ-2.13",
    transport: "ws",
    fault: "a text message's payload is read as part of the byte stream",
    patches: [
      p(WS_STREAM, "      if (!isBinary) {", "      if (!isBinary && !Buffer.isBuffer(data)) {"),
    ],
  },
  {
    id: "ws-close-going-away",
    breaks: "REQ-2.14",
    transport: "ws",
    fault: "the server ends a WebSocket (LOGOUT, closing ERROR) with close code 1001, not 1000",
    patches: [
      p(
        WS_STREAM,
        "    this.socket.close(CLOSE_NORMAL);",
        "    this.socket.close(CLOSE_GOING_AWAY);",
      ),
    ],
  },
  {
    id: "ws-replies-in-text-messages",
    breaks: "REQ-2.11",
    transport: "ws",
    fault: "the server's frames go out in text messages",
    patches: [
      p(
        WS_STREAM,
        "this.socket.send(message, { binary: true }, () => this.sent(message.length));",
        "this.socket.send(message, { binary: false }, () => this.sent(message.length));",
      ),
    ],
  },
  {
    id: "ws-subprotocol-optional",
    breaks: "REQ-2.10",
    transport: "ws",
    fault: "a handshake that offers no subprotocol is accepted",
    patches: [
      p(
        WS_LISTENER,
        "if (!offered.includes(PARROT_SUBPROTOCOL)) return",
        'if (offered.join("") !== "" && !offered.includes(PARROT_SUBPROTOCOL)) return',
      ),
    ],
  },
  {
    id: "ws-empty-message-ends-stream",
    breaks: "REQ-2.12",
    transport: "ws",
    fault: "an empty binary message is taken for the end of the client's stream",
    patches: [
      p(
        WS_STREAM,
        "      this.deliver(asBytes(data));",
        "      if (asBytes(data).length === 0) {\n        socket.close(CLOSE_NORMAL);\n        return;\n      }\n      this.deliver(asBytes(data));",
      ),
    ],
  },
  {
    id: "ws-message-limit-of-a-payload",
    breaks: "REQ-2.15",
    transport: "ws",
    fault:
      "the largest message accepted is 8192 bytes, a frame's payload, not a whole frame's 8200",
    patches: [p(WS_LISTENER, "    maxPayload: MAX_MESSAGE_BYTES,", "    maxPayload: 8192,")],
  },
  // --- version 2: typing expiry (REQ-12.25) ---
  {
    id: "typing-expiry-early",
    breaks: "REQ-12.25",
    fault: "an indicator expires after half the typing timeout",
    patches: [
      p(
        TYPING,
        "return this.startedAt + this.tracker.typingTimeoutMs;",
        "return this.startedAt + this.tracker.typingTimeoutMs / 2;",
      ),
    ],
  },
  {
    id: "typing-indicator-per-target-only",
    breaks: "REQ-12.25",
    fault:
      "indicators are keyed by their target alone: one typist's STOPPED ends another's in the same room",
    patches: [
      p(
        TYPING,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the server's source text, found as written
        "return `${typist.length}:${typist}|${targetKind}|${target}`;",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the server's source text, planted as written
        "return `${targetKind}|${target}`;",
      ),
    ],
  },
  {
    id: "typing-expiry-to-typist-too",
    breaks: "REQ-12.25",
    fault: "the STOPPED of an expired room indicator goes to every member, the typist included",
    patches: [
      p(
        TYPING,
        "    const reached = this.sendToRecipients(typist, targetKind, target, notice);\n    settleInBackground(reached, (error) => this.reportFailure(error));\n  }",
        '    const reached = targetKind === "ROOM" ? this.options.bus.publish({ kind: "roomMembers", room: target }, notice) : this.sendToRecipients(typist, targetKind, target, notice);\n    settleInBackground(reached, (error) => this.reportFailure(error));\n  }',
      ),
    ],
  },
  // --- names as byte strings (REQ-5.10) ---
  {
    id: "directory-folds-names",
    breaks: "REQ-5.10",
    fault:
      "a direct message or typing notice to a name finds the online user whose name differs only in case",
    patches: [
      p(
        DIRECTORY,
        "    return this.byUser.get(user);",
        "    return (\n      this.byUser.get(user) ??\n      [...this.byUser.values()].find((p) => p.user.toLowerCase() === user.toLowerCase())\n    );",
      ),
    ],
  },
];
