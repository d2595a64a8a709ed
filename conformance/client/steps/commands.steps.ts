/**
 * Version 2 requests from the contract's command lines: the PDUs the client sent, field by field, and
 * the spacing of its TYPINGs (REQ-12.29).
 */
import { type DataTable, Then, When } from "@cucumber/cucumber";
import type { Pdu } from "../../../generated/index.ts";
import { ConformanceFailure } from "../../support/conformance-failure.ts";
import type { ClientWorld } from "../support/client-world.ts";

/** The request types the command lines produce; the rest of the traffic is version 1's. */
const VERSION_2_REQUESTS = new Set([
  "DIRECT_SEND",
  "ROOM_JOIN",
  "ROOM_LEAVE",
  "ROOM_SAY",
  "ROOM_LIST_REQUEST",
  "WHO_REQUEST",
  "TYPING",
  "PRESENCE_SUBSCRIBE",
]);

/** `to=user2 text=hi there`: each key up to the next ` key=`. */
function fields(text: string): [string, string][] {
  return [...text.matchAll(/(\w+)=(.*?)(?=\s+\w+=|$)/g)].map((m) => [m[1]!, m[2]!.trim()]);
}

Then(
  "the client sent these version 2 PDUs, in this order:",
  function (this: ClientWorld, table: DataTable) {
    const session = this.session;
    const sent = session.received
      .map((event) => event.pdu)
      .filter((pdu) => VERSION_2_REQUESTS.has(pdu.type));
    const expected = table.hashes();
    const describe = sent.map((pdu) => pdu.type).join(", ") || "none";
    if (sent.length !== expected.length) {
      session.fail(
        `expected ${expected.length} version 2 requests, the client sent ${sent.length}: ${describe}`,
      );
    }
    expected.forEach((row, i) => {
      const pdu = sent[i] as unknown as Record<string, unknown>;
      const wrong =
        pdu.type !== row.type ||
        fields(row.fields ?? "").some(([key, value]) => String(pdu[key]) !== value);
      if (wrong) {
        session.fail(
          `request ${i + 1}: expected ${row.type} ${row.fields}, got ${JSON.stringify(pdu)}`,
          "REQ-3.1",
        );
      }
    });
  },
);

Then(
  "the client's {int} TYPINGs arrived at least {int} ms apart",
  function (this: ClientWorld, count: number, ms: number) {
    const session = this.session;
    const typings = session.received.filter((event) => event.pdu.type === "TYPING");
    if (typings.length !== count) {
      session.fail(`expected ${count} TYPINGs, the client sent ${typings.length}`);
    }
    for (let i = 1; i < typings.length; i++) {
      const gap = typings[i]!.at - typings[i - 1]!.at;
      if (gap < ms) {
        session.fail(`TYPINGs ${i} and ${i + 1} arrived ${gap.toFixed(0)} ms apart`, "REQ-12.29");
      }
    }
  },
);

When(
  "the scripted server sends room and direct traffic from another user before every echo",
  function (this: ClientWorld) {
    this.trafficBeforeEchoes = true;
  },
);

/** The contract's output line for a PDU the client shows (conformance/README.md, command lines). */
function shownAs(pdu: Pdu): string | undefined {
  switch (pdu.type) {
    case "CHAT_ECHO":
      return pdu.text;
    case "ROOM_MESSAGE":
      return `[#${pdu.room} ${pdu.from}] ${pdu.text}`;
    case "ROOM_EVENT":
      return `* ${pdu.user} ${pdu.event === "JOINED" ? "joined" : "left"} #${pdu.room}`;
    case "DIRECT_MESSAGE":
      return `[dm from ${pdu.from}] ${pdu.text}`;
    default:
      return undefined;
  }
}

Then(
  "the client showed every room event, room message, direct message and echo once, in the order they arrived",
  function (this: ClientWorld) {
    const expected = this.session.sent.map(shownAs).filter((line) => line !== undefined);
    const wanted = new Set(expected);
    const shown = this.client.stdoutLines.filter((line) => wanted.has(line));
    if (shown.join("\n") !== expected.join("\n")) {
      throw new ConformanceFailure(
        `the client was sent, in this order:\n  ${expected.join("\n  ")}\nbut showed:\n  ${shown.join("\n  ")}\n\n${this.evidence()}`,
        [],
        "REQ-2.9",
      );
    }
  },
);
