/**
 * Direct messages (spec/README.md §12.5): relayed to the recipient's one session with the sender's name
 * and id, DELIVERED to the sender; NOT_DELIVERED alike for offline, version 1 and unknown recipients.
 */
import { Then, When } from "@cucumber/cucumber";
import { encode, HEADER_LENGTH } from "../../generated/index.ts";
import type { ClientSession } from "../support/client-session.ts";
import { sampleText } from "../support/sample-texts.ts";
import type { ParrotWorld } from "../support/world.ts";

When(
  "{string} sends direct message {int} to {user} with the {sample} text",
  function (this: ParrotWorld, name: string, id: number, to: string, kind: string) {
    const session = this.session(name);
    this.directRecipients.set(id, to);
    session.peer.send({
      type: "DIRECT_SEND",
      version: session.headerVersion,
      messageId: id,
      to,
      text: sampleText(kind),
    });
  },
);

// Over-limit fields go out through the unchecked encoder, to see the server refuse them.
When(
  "{string} sends direct message {int} to {user} with the {sample} text, unchecked",
  function (this: ParrotWorld, name: string, id: number, to: string, kind: string) {
    const session = this.session(name);
    session.peer.sendUnchecked({
      type: "DIRECT_SEND",
      version: session.headerVersion,
      messageId: id,
      to,
      text: sampleText(kind),
    });
  },
);

When(
  "{string} sends direct message {int} to a name of {int} bytes, unchecked",
  function (this: ParrotWorld, name: string, id: number, length: number) {
    const session = this.session(name);
    session.peer.sendUnchecked({
      type: "DIRECT_SEND",
      version: session.headerVersion,
      messageId: id,
      to: "u".repeat(length),
      text: sampleText("ASCII"),
    });
  },
);

// REQ-12.11: the refusals go out in one write, so their answers can be compared with each other.
When(
  "{string} sends direct messages numbered from {int} to {user}, {user}, {user} and {user}",
  function (
    this: ParrotWorld,
    name: string,
    first: number,
    to1: string,
    to2: string,
    to3: string,
    to4: string,
  ) {
    const session = this.session(name);
    const recipients = [to1, to2, to3, to4];
    session.peer.sendRaw(
      Buffer.concat(
        recipients.map((to, i) =>
          encode({
            type: "DIRECT_SEND",
            version: session.headerVersion,
            messageId: first + i,
            to,
            text: sampleText("ASCII"),
          }),
        ),
      ),
      `DIRECT_SEND to ${recipients.map((to) => JSON.stringify(to)).join(", ")}, ids from ${first}, one write`,
    );
  },
);

Then(
  "{string} receives DIRECT_STATUS {word} for message {int}",
  async function (this: ParrotWorld, name: string, status: string, id: number) {
    const session = this.session(name);
    const { pdu } = await session.awaitPdu(
      "DIRECT_STATUS",
      (reply) => reply.messageId === id,
      `DIRECT_STATUS for message ${id}`,
    );
    if (pdu.status !== status) {
      const failure = `expected DIRECT_STATUS ${status} for message ${id}, got ${pdu.status}`;
      // A recipient logged in on another node of the service: the cluster's rule (REQ-13.7).
      const to = this.directRecipients.get(id);
      if (to !== undefined && this.onAnotherNode(name, to)) {
        session.fail(`${failure}; ${to} is logged in on another node`, [], "REQ-13.7");
      }
      session.fail(failure);
    }
  },
);

Then(
  "{string} receives direct message {int} from {string} with the {sample} text",
  async function (this: ParrotWorld, name: string, id: number, from: string, kind: string) {
    await expectDirectMessage(this.session(name), id, from, sampleText(kind));
  },
);

// REQ-12.7 on one connection: the reply to the DIRECT_SEND comes before its fan-out, here to itself.
Then(
  "{string} receives DIRECT_STATUS DELIVERED for message {int} and then the direct message from {string} with the {sample} text",
  async function (this: ParrotWorld, name: string, id: number, from: string, kind: string) {
    const session = this.session(name);
    const reply = await session.expectPdu(
      "DIRECT_STATUS",
      `DIRECT_STATUS DELIVERED for message ${id}, before the DIRECT_MESSAGE (REQ-12.7)`,
    );
    if (reply.messageId !== id || reply.status !== "DELIVERED") {
      session.fail(
        `expected DIRECT_STATUS DELIVERED for message ${id} first, got ${reply.status} for message ${reply.messageId}`,
      );
    }
    await expectDirectMessage(session, id, from, sampleText(kind));
  },
);

// REQ-12.11: "the same DIRECT_STATUS NOT_DELIVERED (only the message_id differs)", header included.
Then(
  "{string} receives {int} DIRECT_STATUS NOT_DELIVERED answers numbered from {int}, identical but for the id",
  async function (this: ParrotWorld, name: string, count: number, first: number) {
    const session = this.session(name);
    const rest: string[] = [];
    for (let id = first; id < first + count; id++) {
      const reply = await session.expectPdu("DIRECT_STATUS", `DIRECT_STATUS for message ${id}`);
      if (reply.messageId !== id || reply.status !== "NOT_DELIVERED") {
        session.fail(
          `expected DIRECT_STATUS NOT_DELIVERED for message ${id}, got ${reply.status} for message ${reply.messageId}`,
        );
      }
      // Re-encoded (a PDU has exactly one encoding), without the 4-byte message id.
      const bytes = encode(reply);
      rest.push(
        Buffer.concat([
          bytes.subarray(0, HEADER_LENGTH),
          bytes.subarray(HEADER_LENGTH + 4),
        ]).toString("hex"),
      );
    }
    if (new Set(rest).size > 1) {
      session.fail(
        `the NOT_DELIVERED answers differ beyond their message ids, which tells the recipients apart: ${rest.join(" / ")}`,
      );
    }
  },
);

async function expectDirectMessage(
  session: ClientSession,
  messageId: number,
  from: string,
  text: string,
): Promise<void> {
  const { pdu } = await session.awaitPdu(
    "DIRECT_MESSAGE",
    (message) => message.messageId === messageId && message.from === from,
    `DIRECT_MESSAGE ${messageId} from ${from}`,
  );
  if (pdu.text !== text) {
    session.fail(
      `DIRECT_MESSAGE ${messageId} from ${from}: text differs: sent ${JSON.stringify(text)} ` +
        `(${Buffer.byteLength(text)} bytes), got ${JSON.stringify(pdu.text)} (${Buffer.byteLength(pdu.text)} bytes)`,
    );
  }
}
