/**
 * Input the server must refuse (spec/README.md §2, §3, §8): the spec's invalid vectors, garbage, cut-off
 * frames, unknown and out-of-version types, ERRORs from the client, and frames split or batched in ways
 * a correct server must not care about.
 */
import { Given, When } from "@cucumber/cucumber";
import {
  type ErrorCodeName,
  encode,
  encodeHeader,
  HEADER_LENGTH,
  MESSAGE_RULES,
  type MessageTypeName,
  SUPPORTED_VERSIONS,
} from "../../generated/index.ts";
import { samplePdu } from "../support/sample-pdus.ts";
import { sampleText } from "../support/sample-texts.ts";
import { forConnection, invalidVector, validVectors } from "../support/spec-vectors.ts";
import { Unsupported } from "../support/unsupported.ts";
import type { ParrotWorld } from "../support/world.ts";

When(
  "{string} sends the invalid vector {string}",
  function (this: ParrotWorld, name: string, vectorName: string) {
    const session = this.session(name);
    const vector = invalidVector(vectorName);
    session.peer.sendRaw(
      forConnection(vector, session.headerVersion),
      `invalid vector "${vector.name}" (${vector.error})`,
    );
  },
);

When(
  "{string} sends all bytes of the invalid vector {string}",
  function (this: ParrotWorld, name: string, vectorName: string) {
    const session = this.session(name);
    const vector = invalidVector(vectorName);
    session.peer.sendRaw(
      forConnection(vector, session.headerVersion),
      `invalid vector "${vector.name}" (${vector.error})`,
    );
  },
);

// REQ-2.6: two bytes are all a receiver needs to see that a peer does not speak Parrot.
When(
  "{string} sends the first {int} bytes of the invalid vector {string}",
  function (this: ParrotWorld, name: string, count: number, vectorName: string) {
    const vector = invalidVector(vectorName);
    this.session(name).peer.sendRaw(
      vector.bytes.subarray(0, count),
      `the first ${count} bytes of invalid vector "${vector.name}"`,
      false,
    );
  },
);

// REQ-2.7: the header alone must be refused; a server that waits for the payload never answers.
When(
  "{string} sends the header of the invalid vector {string} and no payload",
  function (this: ParrotWorld, name: string, vectorName: string) {
    const vector = invalidVector(vectorName);
    this.session(name).peer.sendRaw(
      vector.bytes.subarray(0, HEADER_LENGTH),
      `the header of invalid vector "${vector.name}", no payload`,
      false,
    );
  },
);

When("{string} sends the text {string}", function (this: ParrotWorld, name: string, text: string) {
  const unescaped = text.replace(/\\r/g, "\r").replace(/\\n/g, "\n");
  this.session(name).peer.sendRaw(Buffer.from(unescaped, "utf8"), JSON.stringify(unescaped), false);
});

When(
  "{string} sends the first {int} bytes of a header and then ends its side of the stream",
  function (this: ParrotWorld, name: string, count: number) {
    const session = this.session(name);
    const frame = encode({ type: "PING", version: session.headerVersion, token: 5 });
    session.peer.sendRaw(
      frame.subarray(0, count),
      `the first ${count} bytes of a PING frame`,
      false,
    );
    session.peer.endOutput();
  },
);

When(
  "{string} sends a header and half of its payload and then ends its side of the stream",
  function (this: ParrotWorld, name: string) {
    const session = this.session(name);
    const frame = encode({
      type: "CHAT",
      version: session.headerVersion,
      messageId: 5,
      text: "this frame is cut off",
    });
    const cut = HEADER_LENGTH + Math.floor((frame.length - HEADER_LENGTH) / 2);
    session.peer.sendRaw(frame.subarray(0, cut), `a CHAT frame cut off after ${cut} bytes`, false);
    session.peer.endOutput();
  },
);

When(
  "{string} sends a PDU of unknown type {int} with header version {int}",
  function (this: ParrotWorld, name: string, type: number, version: number) {
    this.session(name).peer.sendRaw(
      encodeHeader({ version, messageType: type, payloadLength: 0 }),
      `PDU of unknown type ${type}, header version ${version}, empty payload`,
    );
  },
);

When(
  "{string} sends CHAT {int} with {int} bytes of text and header version {int}",
  function (this: ParrotWorld, name: string, id: number, length: number, version: number) {
    this.session(name).peer.sendUnchecked({
      type: "CHAT",
      version,
      messageId: id,
      text: "a".repeat(length),
    });
  },
);

When("{string} sends ERROR {word}", function (this: ParrotWorld, name: string, code: string) {
  const session = this.session(name);
  session.peer.send({
    type: "ERROR",
    version: session.headerVersion,
    code: code as ErrorCodeName,
    text: "sent by the conformance suite",
  });
});

// REQ-8.7 needs a client type that exists only in a later version than the negotiated one, sent well
// formed (a decoder checks the payload before the version, REQ-8.1). The spec's valid vectors provide
// one; until the spec has such a type, the requirement cannot be exercised: unsupported, not passed.
Given(
  "the spec defines a message type newer than version {int}",
  function (this: ParrotWorld, version: number) {
    const newer = validVectors().filter((vector) => {
      const rule = MESSAGE_RULES[vector.type as MessageTypeName];
      return rule !== undefined && rule.since > version && rule.sender !== "server";
    });
    const chosen = newer.at(-1);
    if (chosen === undefined) {
      throw new Unsupported(
        `spec/vectors/valid.json has no client message type newer than version ${version} yet`,
      );
    }
    this.newerPdu = chosen;
  },
);

When("{string} sends a PDU of the newest message type", function (this: ParrotWorld, name: string) {
  const session = this.session(name);
  if (!this.newerPdu) throw new Error("scenario bug: no newer message type was chosen");
  session.peer.sendRaw(
    forConnection(this.newerPdu, session.headerVersion),
    `valid vector "${this.newerPdu.name}" (${this.newerPdu.type}), header version ${session.headerVersion}`,
  );
});

When(
  "{string} dribbles a VERSION_REQUEST for version {int} one byte at a time",
  async function (this: ParrotWorld, name: string, version: number) {
    const session = this.session(name);
    session.offered = [version];
    await session.peer.dribble(
      encode({ type: "VERSION_REQUEST", version: 0, versions: [version] }),
      `VERSION_REQUEST [${version}]`,
    );
  },
);

When(
  "{string} dribbles a LOGIN_REQUEST for {string} one byte at a time",
  async function (this: ParrotWorld, name: string, user: string) {
    const session = this.session(name);
    const { password } = this.account(user);
    session.markPendingLogin(user);
    await session.peer.dribble(
      encode({ type: "LOGIN_REQUEST", version: session.headerVersion, username: user, password }),
      `LOGIN_REQUEST ${user}`,
    );
  },
);

// REQ-2.9: the password check takes time; the CHAT and PING behind it must wait for it, not overtake it.
When(
  "{string} sends LOGIN_REQUEST for {string}, CHAT {int} and PING {int} in one write",
  function (this: ParrotWorld, name: string, user: string, id: number, token: number) {
    const session = this.session(name);
    const { password } = this.account(user);
    const version = session.headerVersion;
    session.markPendingLogin(user);
    session.peer.sendRaw(
      Buffer.concat([
        encode({ type: "LOGIN_REQUEST", version, username: user, password }),
        encode({ type: "CHAT", version, messageId: id, text: sampleText("ASCII") }),
        encode({ type: "PING", version, token }),
      ]),
      `LOGIN_REQUEST ${user} + CHAT ${id} + PING ${token}, one write`,
    );
  },
);

// REQ-8.3: the VERSION_REQUEST rides in the same write, so a server that went on after its closing
// ERROR would be caught answering it.
When(
  "{string} sends a PING before negotiating and, in the same write, a VERSION_REQUEST",
  function (this: ParrotWorld, name: string) {
    this.session(name).peer.sendRaw(
      Buffer.concat([
        encode({ type: "PING", version: 0, token: 4 }),
        encode({ type: "VERSION_REQUEST", version: 0, versions: [...SUPPORTED_VERSIONS] }),
      ]),
      "PING token=4 + VERSION_REQUEST, one write",
    );
  },
);

// REQ-8.4: the refused PDU and the next one arrive together; the next must be handled as usual.
When(
  /^"([^"]*)" sends a CHAT_ECHO PDU and, in the same write, CHAT (\d+) with the (.+) text$/,
  function (this: ParrotWorld, name: string, id: string, kind: string) {
    const session = this.session(name);
    const version = session.headerVersion;
    session.peer.sendRaw(
      Buffer.concat([
        encode(samplePdu("CHAT_ECHO", version)),
        encode({ type: "CHAT", version, messageId: Number(id), text: sampleText(kind) }),
      ]),
      `CHAT_ECHO + CHAT ${id} (${kind} text), one write`,
    );
  },
);
