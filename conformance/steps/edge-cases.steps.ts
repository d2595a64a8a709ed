/**
 * Steps of edge-cases.feature: logins with names and passwords spelt in ways an exact byte comparison
 * must tell apart (REQ-5.10), and several frames, refused ones and garbage among them, in one write.
 */
import { defineParameterType, When } from "@cucumber/cucumber";
import { encode, encodeHeader } from "../../generated/index.ts";
import { sampleText } from "../support/sample-texts.ts";
import type { ParrotWorld } from "../support/world.ts";

/** Bytes no Parrot frame starts with: a server must answer BAD_MAGIC as soon as it has two of them. */
const GARBAGE = Buffer.from("GET / HTTP/1.1\r\n\r\n");

/** Ways to spell a name or password that a server folding, normalising or trimming would confuse. */
const SPELLINGS: Record<string, (text: string) => string> = {
  exactly: (text) => text,
  "in upper case": (text) => text.toUpperCase(),
  "in lower case": (text) => text.toLowerCase(),
  "decomposed (NFD)": (text) => text.normalize("NFD"),
  "with a trailing space": (text) => `${text} `,
  "with a leading space": (text) => ` ${text}`,
  "with a trailing NUL": (text) => `${text}\u0000`,
  "with two trailing NULs": (text) => `${text}\u0000\u0000`,
};

defineParameterType({
  name: "spelling",
  regexp: new RegExp(
    Object.keys(SPELLINGS)
      .map((s) => s.replace(/[()]/g, "\\$&"))
      .join("|"),
  ),
  transformer: (text: string) => text,
});

When(
  "{string} logs in as {string} spelt {spelling} with its password spelt {spelling}",
  async function (
    this: ParrotWorld,
    name: string,
    user: string,
    nameSpelling: string,
    passwordSpelling: string,
  ) {
    const spelt = SPELLINGS[nameSpelling]!(user);
    const password = SPELLINGS[passwordSpelling]!(this.account(user).password);
    if (spelt === user && password === this.account(user).password) {
      throw new Error("scenario bug: the spelling changes neither the name nor the password");
    }
    await this.session(name).login(spelt, password);
  },
);

When(
  "{string} sends CHAT {int} with the {sample} text, PING {int} and garbage in one write",
  function (this: ParrotWorld, name: string, id: number, kind: string, token: number) {
    const session = this.session(name);
    const version = session.headerVersion;
    const text = sampleText(kind);
    session.peer.sendRaw(
      Buffer.concat([
        encode({ type: "CHAT", version, messageId: id, text }),
        encode({ type: "PING", version, token }),
        GARBAGE,
      ]),
      `CHAT ${id}, PING ${token} and ${GARBAGE.length} bytes of garbage, one write`,
    );
  },
);

When(
  "{string} sends CHAT {int}, a PDU of unknown type {int} and CHAT {int} in one write",
  function (this: ParrotWorld, name: string, first: number, type: number, second: number) {
    const session = this.session(name);
    const version = session.headerVersion;
    const text = sampleText("ASCII");
    session.peer.sendRaw(
      Buffer.concat([
        encode({ type: "CHAT", version, messageId: first, text }),
        encodeHeader({ version, messageType: type, payloadLength: 0 }),
        encode({ type: "CHAT", version, messageId: second, text }),
      ]),
      `CHAT ${first}, a PDU of unknown type ${type}, CHAT ${second}, one write`,
    );
  },
);

When(
  "{string} says message {int} in {string} with the {sample} text, sends direct message {int} to {string} with the {sample} text and garbage in one write",
  function (
    this: ParrotWorld,
    name: string,
    sayId: number,
    room: string,
    sayText: string,
    directId: number,
    to: string,
    directText: string,
  ) {
    const session = this.session(name);
    const version = session.headerVersion;
    session.peer.sendRaw(
      Buffer.concat([
        encode({ type: "ROOM_SAY", version, messageId: sayId, room, text: sampleText(sayText) }),
        encode({
          type: "DIRECT_SEND",
          version,
          messageId: directId,
          to,
          text: sampleText(directText),
        }),
        GARBAGE,
      ]),
      `ROOM_SAY ${sayId}, DIRECT_SEND ${directId} and ${GARBAGE.length} bytes of garbage, one write`,
    );
  },
);
