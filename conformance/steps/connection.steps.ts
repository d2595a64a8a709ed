/**
 * Steps that set up connections and judge how the server treats them as a whole: still served, closed,
 * closed for an error. Used by every feature.
 */
import { Given, Then, When } from "@cucumber/cucumber";
import type { ErrorCodeName } from "../../generated/index.ts";
import { blame } from "../support/conformance-failure.ts";
import { expectPromptClose } from "../support/prompt-close.ts";
import { forConnection, invalidVector } from "../support/spec-vectors.ts";
import { expectTimedClose } from "../support/timed-close.ts";
import { Unsupported } from "../support/unsupported.ts";
import type { ParrotWorld } from "../support/world.ts";

// A server that neither lists nor chooses the version cannot be judged on it: unsupported, not failed. One
// that lists it but does not choose it for an offer that includes it is judged (and fails) on REQ-4.2 /
// REQ-12.1 by the negotiation scenarios; the others still run in that version.
Given(
  "the server speaks protocol version {int}",
  async function (this: ParrotWorld, version: number) {
    const { supportedVersions, chosenVersion, offered } = await this.serverNegotiation();
    if (!supportedVersions.includes(version) && chosenVersion !== version) {
      throw new Unsupported(
        `this scenario checks protocol version ${version}; offered [${offered.join(", ")}], the server ` +
          `chose ${chosenVersion} and lists only [${supportedVersions.join(", ")}]`,
      );
    }
    this.protocolVersion = version;
  },
);

// §11: only a server that knows a later version's types can tell them from unknown ones; a server that
// speaks no later version answers UNKNOWN_MESSAGE_TYPE (REQ-3.5), and REQ-8.7 cannot be judged on it.
Given(
  "the server speaks a protocol version newer than {int}",
  async function (this: ParrotWorld, version: number) {
    const { supportedVersions } = await this.serverNegotiation();
    if (!supportedVersions.some((listed) => listed > version)) {
      throw new Unsupported(
        `the server lists only [${supportedVersions.join(", ")}]: it need not know the types of later ` +
          "versions, and answers them UNKNOWN_MESSAGE_TYPE (spec/README.md §11)",
      );
    }
  },
);

Given("a connection {string}", async function (this: ParrotWorld, name: string) {
  await this.open(name);
});

Given(
  "a connection {string} that has negotiated",
  async function (this: ParrotWorld, name: string) {
    await this.negotiated(name);
  },
);

Given(
  "a connection {string} that has negotiated and keeps pinging",
  async function (this: ParrotWorld, name: string) {
    (await this.negotiated(name)).keepAlive();
  },
);

Given(
  "{string} is logged in as {string}",
  async function (this: ParrotWorld, name: string, user: string) {
    await this.loggedIn(name, user);
  },
);

// A client of another version than the scenario's: a version 1 client on a version 2 server (§12.1).
Given(
  "{string} is logged in as {string} with protocol version {int}",
  async function (this: ParrotWorld, name: string, user: string, version: number) {
    await this.loggedIn(name, user, version);
  },
);

// A bystander is logged in before the scenario does anything odd, and keeps itself alive meanwhile, so
// that its round trip afterwards proves the server went on serving others (REQ-8.8).
Given(
  "a bystander {string} logged in as {string}",
  async function (this: ParrotWorld, name: string, user: string) {
    (await this.loggedIn(name, user)).keepAlive();
  },
);

Given("{string} stays silent", function (this: ParrotWorld, name: string) {
  this.session(name).peer.stopKeepAlive();
});

// Ways a session ends that the server brings about itself, for scenarios about what a session's end
// does to others (rooms, presence). The spec's reaction to each is judged on the way.
When(
  "{string} is closed for sending a PDU that gets a closing ERROR",
  async function (this: ParrotWorld, name: string) {
    const session = this.session(name);
    const vector = invalidVector("utf8-overlong");
    session.peer.sendRaw(
      forConnection(vector, session.headerVersion),
      `invalid vector "${vector.name}" (${vector.error})`,
    );
    await session.expectErrorReaction(vector.error);
  },
);

When(
  "{string} stays silent until the server times it out",
  async function (this: ParrotWorld, name: string) {
    const session = this.session(name);
    session.peer.stopKeepAlive();
    const { pingTimeoutMs } = this.advertisedTimers(name);
    await expectTimedClose(this, this.parameters, {
      session,
      code: "PING_TIMEOUT",
      timerName: "the advertised ping timeout",
      timeoutMs: pingTimeoutMs,
      startEarliest: session.peer.lastFrameSentAt,
      startLatest: Math.max(session.peer.lastFrameSentAt, session.peer.lastReceivedAt),
    });
  },
);

Then("{string} can still chat", async function (this: ParrotWorld, name: string) {
  const session = this.session(name);
  await session.chatRoundTrip(0x5eed, `still here, ${name}`);
});

Then("the bystander {string} can still chat", async function (this: ParrotWorld, name: string) {
  const session = this.session(name);
  await blame("REQ-8.8", () => session.chatRoundTrip(0xb157, `bystander ${name} still served`));
});

Then("{string} can still ping", async function (this: ParrotWorld, name: string) {
  await this.session(name).expectServed("the connection to be served");
});

Then(
  "{string} has received nothing but its own replies",
  async function (this: ParrotWorld, name: string) {
    await this.session(name).expectServed("its own PONG, with nothing before it");
  },
);

// Each connection's PING barrier: everything the server sent it before the PONG was read by earlier
// steps, so nothing stray (a duplicate, a PDU meant for someone else) came first.
Then(
  "{connections} have received nothing but their own replies",
  async function (this: ParrotWorld, names: string[]) {
    await Promise.all(
      names.map((name) => this.session(name).expectServed("its own PONG, with nothing before it")),
    );
  },
);

// A close for something the client did comes at once, not when a timer fires (support/prompt-close.ts).
Then("the server closes {string}", async function (this: ParrotWorld, name: string) {
  await expectPromptClose(this.session(name), this.parameters, {
    what: "the server to close the connection",
    errorAllowed: false,
  });
});

Then(
  "the server closes {string} without sending anything",
  async function (this: ParrotWorld, name: string) {
    await expectPromptClose(this.session(name), this.parameters, {
      what: "the server to close the connection, sending nothing first",
      errorAllowed: false,
    });
  },
);

// REQ-2.8 says "discard the partial frame and close" at once: an ERROR first is allowed, not required,
// but not a timer's ERROR, and not a close that comes only when a timer could have fired.
Then(
  "the server closes {string}, with or without an ERROR first",
  async function (this: ParrotWorld, name: string) {
    await expectPromptClose(this.session(name), this.parameters, {
      what: "the server to close the connection",
      errorAllowed: true,
    });
  },
);

Then(
  "{string} receives ERROR {word} and the spec's reaction to it",
  async function (this: ParrotWorld, name: string, code: string) {
    await this.session(name).expectErrorReaction(code as ErrorCodeName);
  },
);

Then(
  "{string} receives ERROR UNKNOWN_MESSAGE_TYPE, or UNSUPPORTED_IN_VERSION if the server knows the type from a later version, and the spec's reaction to it",
  async function (this: ParrotWorld, name: string) {
    const session = this.session(name);
    const versions = await this.serverVersions();
    const later = versions.some((version) => version > (session.negotiatedVersion ?? 0));
    const event = await session.peer.next(this.parameters.replyTimeoutMs);
    // A server that speaks a later version may know the type and answer UNSUPPORTED_IN_VERSION (§11);
    // peek at the code to pick the rule, then judge the event as usual.
    const code =
      later &&
      event.kind === "pdu" &&
      event.pdu.type === "ERROR" &&
      event.pdu.code === "UNSUPPORTED_IN_VERSION"
        ? "UNSUPPORTED_IN_VERSION"
        : "UNKNOWN_MESSAGE_TYPE";
    session.peer.unread(event);
    await session.expectErrorReaction(code);
  },
);

Then(
  "{string} receives ERROR {word}",
  async function (this: ParrotWorld, name: string, code: string) {
    const session = this.session(name);
    const error = await session.expectPdu("ERROR", `ERROR ${code}`);
    if (error.code !== code) session.fail(`expected ERROR ${code}, got ERROR ${error.code}`);
  },
);

Then(
  "the ERROR {string} receives is {word} with a text that is not empty",
  async function (this: ParrotWorld, name: string, code: string) {
    const session = this.session(name);
    const error = await session.expectPdu("ERROR", `ERROR ${code}`);
    if (error.code !== code) session.fail(`expected ERROR ${code}, got ERROR ${error.code}`);
    if (error.text.trim() === "") session.fail(`ERROR ${code} came with an empty text`);
  },
);
