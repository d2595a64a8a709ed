/**
 * Steps of lifecycle.feature: a server's own end and its connection limit (REQ-9.4, REQ-9.5), tried on
 * an instance the scenario starts for itself (support/own-instance.ts).
 */
import { Given, Then, When } from "@cucumber/cucumber";
import { SUPPORTED_VERSIONS } from "../../generated/index.ts";
import { describeEvent } from "../support/client-session.ts";
import { SMALL_CONNECTION_LIMIT } from "../support/launcher.ts";
import { type OwnInstance, startOwnInstance } from "../support/own-instance.ts";
import type { ParrotWorld } from "../support/world.ts";

const instances = new WeakMap<ParrotWorld, OwnInstance>();

function instance(world: ParrotWorld): OwnInstance {
  const own = instances.get(world);
  if (!own) throw new Error("scenario bug: no instance of its own was started");
  return own;
}

Given(
  "the scenario starts an instance of the server of its own",
  async function (this: ParrotWorld) {
    instances.set(this, await startOwnInstance(this, false));
  },
);

Given(
  "the scenario starts an instance of the server of its own, limited to a few connections",
  async function (this: ParrotWorld) {
    instances.set(this, await startOwnInstance(this, true));
  },
);

Given(
  "{string} is logged in as {string} on that instance",
  async function (this: ParrotWorld, name: string, user: string) {
    const session = await this.open(name, instance(this).target);
    const response = await session.negotiate([this.protocolVersion]);
    if (response.status !== "OK") session.fail("negotiation failed");
    session.keepAlive();
    const login = await session.login(user, this.account(user).password);
    if (login.status !== "OK") session.fail(`logging in as ${user} failed: ${login.status}`);
  },
);

Given(
  "as many connections to that instance as it allows, each negotiated",
  async function (this: ParrotWorld) {
    for (let i = 0; i < SMALL_CONNECTION_LIMIT; i++) {
      const session = await this.open(`held ${i + 1}`, instance(this).target);
      const response = await session.negotiate([this.protocolVersion]);
      if (response.status !== "OK") session.fail("negotiation failed below the limit");
      session.keepAlive();
    }
  },
);

When("that instance is told to shut down", function (this: ParrotWorld) {
  void instance(this).stop();
});

When(
  "one more connection {string} to that instance offers every version",
  async function (this: ParrotWorld, name: string) {
    const session = await this.open(name, instance(this).target);
    session.offerVersions(SUPPORTED_VERSIONS);
  },
);

// SERVER_FULL is sent in place of the VERSION_RESPONSE, before any negotiation: header version 0.
Then(
  "{string} receives ERROR SERVER_FULL with header version 0 in place of a VERSION_RESPONSE, then the close",
  async function (this: ParrotWorld, name: string) {
    const session = this.session(name);
    const event = await session.nextEvent("ERROR SERVER_FULL");
    if (event.kind === "reset") {
      session.peer.transcript.note("accepted: reset before ERROR SERVER_FULL could be read");
      return;
    }
    const pdu = event.kind === "pdu" ? event.pdu : undefined;
    if (pdu?.type !== "ERROR" || pdu.code !== "SERVER_FULL") {
      return session.fail(`expected ERROR SERVER_FULL, got ${describeEvent(event)}`);
    }
    if (pdu.version !== 0) session.fail(`ERROR SERVER_FULL carried header version ${pdu.version}`);
    await session.expectClosed("the close after ERROR SERVER_FULL");
  },
);

Then("the connections it holds are still served", async function (this: ParrotWorld) {
  for (let i = 0; i < SMALL_CONNECTION_LIMIT; i++) {
    await this.session(`held ${i + 1}`).expectServed(
      "a PONG: the connections below the limit go on",
    );
  }
});
