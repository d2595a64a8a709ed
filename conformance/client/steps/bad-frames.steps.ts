/**
 * Bad input as the client receives it: frames at odd chunkings, frames it must refuse (with or without
 * the close), and ERRORs from the server, closing or not.
 */
import { performance } from "node:perf_hooks";
import { Then, When } from "@cucumber/cucumber";
import { type ChatPdu, type ErrorCodeName, encode } from "../../../generated/index.ts";
import type { ClientWorld } from "../support/client-world.ts";
import { craftedFrame } from "../support/crafted-frames.ts";
import { describeEvent } from "../support/scripted-session.ts";

async function nextChat(world: ClientWorld): Promise<ChatPdu> {
  return world.session.expect("CHAT", world.parameters.replyTimeoutMs, "after its login");
}

When(
  "the scripted server waits for all {int} CHATs and answers them in one write, with a PONG of an unused token between each",
  async function (this: ClientWorld, count: number) {
    const session = this.session;
    const chats: ChatPdu[] = [];
    while (chats.length < count) chats.push(await nextChat(this));
    const frames = chats.flatMap((chat, i) => [
      encode({
        type: "CHAT_ECHO",
        version: session.version,
        messageId: chat.messageId,
        text: chat.text,
      }),
      encode({ type: "PONG", version: session.version, token: 0x0e0e0000 + i }),
    ]);
    session.sendRaw(
      Buffer.concat(frames),
      `${count} CHAT_ECHOs and PONGs of unused tokens in one write`,
    );
  },
);

When(
  /^the scripted server answers the first CHAT with (.+)$/,
  async function (this: ClientWorld, name: string) {
    const chat = await nextChat(this);
    const crafted = craftedFrame(name, chat, this.session.version);
    this.session.sendRaw(crafted.bytes, crafted.what);
  },
);

When(
  /^the scripted server sends half of the first echo, then (a FIN|a reset \(RST\))$/,
  async function (this: ClientWorld, end: string) {
    const session = this.session;
    const chat = await nextChat(this);
    const { messageId, text } = chat;
    const echo = encode({ type: "CHAT_ECHO", version: session.version, messageId, text });
    session.sendRaw(echo.subarray(0, echo.length - 2), "CHAT_ECHO without its last 2 bytes");
    // Let the half frame reach the client before the end does.
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (end === "a FIN") session.peer.endOutput();
    else session.peer.reset();
  },
);

When(
  /^the scripted server sends (.+) before the first echo$/,
  async function (this: ClientWorld, name: string) {
    const session = this.session;
    const chat = await nextChat(this);
    const crafted = craftedFrame(name, chat, session.version);
    session.sendRaw(crafted.bytes, crafted.what);
    session.send({
      type: "CHAT_ECHO",
      version: session.version,
      messageId: chat.messageId,
      text: chat.text,
    });
  },
);

When(
  "the scripted server sends ERROR {word} and keeps the connection open",
  function (this: ClientWorld, code: string) {
    const session = this.session;
    session.send({
      type: "ERROR",
      version: session.version,
      code: code as ErrorCodeName,
      text: "scripted",
    });
  },
);

/** Reads up to the client's ERROR, echoing any CHAT it sends meanwhile if `echo`. */
async function clientError(world: ClientWorld, code: string, echo: boolean): Promise<void> {
  const session = world.session;
  const deadline = performance.now() + world.parameters.replyTimeoutMs;
  for (;;) {
    const event = await session.next(Math.max(0, deadline - performance.now()));
    if (event.kind === "pdu" && event.pdu.type === "CHAT") {
      const { messageId, text } = event.pdu;
      if (echo) session.send({ type: "CHAT_ECHO", version: session.version, messageId, text });
      continue;
    }
    if (event.kind === "pdu" && event.pdu.type === "ERROR" && event.pdu.code === code) return;
    session.fail(`expected ERROR ${code} from the client, got ${describeEvent(event)}`, "REQ-8.2");
  }
}

Then(
  "the client answers ERROR {word} and closes the connection",
  async function (this: ClientWorld, code: string) {
    await clientError(this, code, false);
    const event = await this.session.next(this.parameters.replyTimeoutMs);
    if (event.kind !== "eof" && event.kind !== "reset") {
      this.session.fail(
        `expected the close after the client's ERROR, got ${describeEvent(event)}`,
        "REQ-8.3",
      );
    }
  },
);

Then(
  "the client answers ERROR {word} and stays connected",
  async function (this: ClientWorld, code: string) {
    await clientError(this, code, true);
  },
);
