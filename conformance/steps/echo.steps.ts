/**
 * CHAT and CHAT_ECHO (spec/README.md §6): ids and texts come back unchanged, in order, to the sender.
 */
import { Then, When } from "@cucumber/cucumber";
import { encode } from "../../generated/index.ts";
import { sampleText } from "../support/sample-texts.ts";
import type { ParrotWorld } from "../support/world.ts";

When(
  /^"([^"]*)" sends CHAT (\d+) with the (.+) text$/,
  function (this: ParrotWorld, name: string, id: string, kind: string) {
    const session = this.session(name);
    session.peer.send({
      type: "CHAT",
      version: session.headerVersion,
      messageId: Number(id),
      text: sampleText(kind),
    });
  },
);

// encodeUnchecked lets the suite send what a correct encoder refuses to, to see the server refuse it.
When(
  /^"([^"]*)" sends CHAT (\d+) with the (.+) text, unchecked$/,
  function (this: ParrotWorld, name: string, id: string, kind: string) {
    const session = this.session(name);
    session.peer.sendUnchecked({
      type: "CHAT",
      version: session.headerVersion,
      messageId: Number(id),
      text: sampleText(kind),
    });
  },
);

When(
  /^"([^"]*)" dribbles CHAT (\d+) with the (.+) text one byte at a time$/,
  async function (this: ParrotWorld, name: string, id: string, kind: string) {
    const session = this.session(name);
    const pdu = {
      type: "CHAT",
      version: session.headerVersion,
      messageId: Number(id),
      text: sampleText(kind),
    } as const;
    await session.peer.dribble(encode(pdu), `CHAT ${id} (${kind} text)`);
  },
);

Then(
  /^"([^"]*)" receives the echo of CHAT (\d+) with the (.+) text$/,
  async function (this: ParrotWorld, name: string, id: string, kind: string) {
    await this.session(name).expectEcho(Number(id), sampleText(kind));
  },
);

When(
  "{string} sends {int} CHATs in one write",
  function (this: ParrotWorld, name: string, count: number) {
    const session = this.session(name);
    const frames = Array.from({ length: count }, (_, i) =>
      encode({
        type: "CHAT",
        version: session.headerVersion,
        messageId: i,
        text: pipelinedText(i),
      }),
    );
    session.peer.sendRaw(Buffer.concat(frames), `${count} CHATs, ids 0..${count - 1}, one write`);
  },
);

Then(
  "{string} receives their {int} echoes in order and nothing else",
  async function (this: ParrotWorld, name: string, count: number) {
    const session = this.session(name);
    for (let i = 0; i < count; i++) await session.expectEcho(i, pipelinedText(i));
    await session.expectServed("a PONG right after the last echo: nothing else may come");
  },
);

/** Texts of different lengths, so a lost, repeated or reordered echo cannot go unnoticed. */
function pipelinedText(i: number): string {
  return `message ${i} ${"·".repeat(i % 17)}`;
}
