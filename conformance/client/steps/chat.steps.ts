/**
 * CHATs as the client sends them: distinct message ids while in flight (REQ-6.7), and echoes that come
 * late or all at once.
 */
import { Then, When } from "@cucumber/cucumber";
import type { ChatPdu } from "../../../generated/index.ts";
import type { ClientWorld } from "../support/client-world.ts";

Then(
  "the client sends all {int} CHATs before any echo, with distinct message ids",
  async function (this: ClientWorld, count: number) {
    const session = this.session;
    // The echoes are held back, so the PONGs due behind them are too (a server answers in order).
    session.pongMode = "hold";
    const chats: ChatPdu[] = [];
    while (chats.length < count) {
      chats.push(
        await session.expect("CHAT", this.parameters.replyTimeoutMs, "(none is echoed yet)"),
      );
    }
    const ids = chats.map((chat) => chat.messageId);
    const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
    if (repeated.length > 0) {
      session.fail(`CHATs in flight at once share message ids: [${ids.join(", ")}]`, "REQ-6.7");
    }
    for (const { messageId, text } of chats) {
      session.send({ type: "CHAT_ECHO", version: session.version, messageId, text });
    }
    session.pongMode = "answer";
    session.releaseHeldPongs();
  },
);

When(
  "the scripted server answers everything {int} ms after it arrives",
  function (this: ClientWorld, delayMs: number) {
    this.session.replyDelayMs = delayMs;
  },
);
