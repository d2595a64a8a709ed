/**
 * Steps that set up connections and judge how the server treats them as a whole: still served, closed,
 * closed for an error. Used by every feature.
 */
import { Given, Then } from "@cucumber/cucumber";
import type { ErrorCodeName } from "../../generated/index.ts";
import { describeEvent } from "../support/client-session.ts";
import { blame } from "../support/conformance-failure.ts";
import { Unsupported } from "../support/unsupported.ts";
import type { ParrotWorld } from "../support/world.ts";

Given(
  "the server speaks protocol version {int}",
  async function (this: ParrotWorld, version: number) {
    const versions = await this.serverVersions();
    if (!versions.includes(version)) {
      throw new Unsupported(
        `this scenario checks protocol version ${version}; the server lists only [${versions.join(", ")}]`,
      );
    }
    this.protocolVersion = version;
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

Then("the server closes {string}", async function (this: ParrotWorld, name: string) {
  await this.session(name).expectClosed("the server to close the connection");
});

Then(
  "the server closes {string} without sending anything",
  async function (this: ParrotWorld, name: string) {
    await this.session(name).expectClosed(
      "the server to close the connection, sending nothing first",
    );
  },
);

// REQ-2.8 says only "discard the partial frame and close": an ERROR first is allowed, not required.
Then(
  "the server closes {string}, with or without an ERROR first",
  async function (this: ParrotWorld, name: string) {
    const session = this.session(name);
    const event = await session.nextEvent("the server to close the connection");
    if (event.kind === "eof" || event.kind === "reset") return;
    if (event.kind === "pdu" && event.pdu.type === "ERROR") {
      await session.expectClosed(`the close after ERROR ${event.pdu.code}`);
      return;
    }
    session.fail(`expected the server to close the connection, got ${describeEvent(event)}`);
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
