/**
 * The negotiation half of a client scenario: the client's VERSION_REQUEST, the scripted server's
 * answer (a choice, NO_COMMON_VERSION, an ERROR instead), and what the client sent afterwards.
 */

import { performance } from "node:perf_hooks";
import { Then, When } from "@cucumber/cucumber";
import type { ErrorCodeName } from "../../../generated/index.ts";
import type { ClientWorld } from "../support/client-world.ts";
import { describeEvent } from "../support/scripted-session.ts";

/**
 * How long the scripted server stays quiet after every VERSION_REQUEST before it answers, so that a
 * client sending something before the VERSION_RESPONSE shows it in every scenario (REQ-4.1), not by
 * chance.
 */
const QUIET_BEFORE_ANSWER_MS = 200;

async function versionRequest(world: ClientWorld) {
  const session = world.session;
  if (session.versionRequest) return session.versionRequest;
  return session.expect("VERSION_REQUEST", world.parameters.replyTimeoutMs, "as its first PDU");
}

/** Waits `ms` in which the client must send nothing; any PDU fails REQ-4.1 (scripted-session.ts). */
async function quiet(world: ClientWorld, ms: number): Promise<void> {
  const event = await world.session.next(ms);
  if (event.kind !== "timeout") {
    world.session.fail(
      `the client did not wait for the VERSION_RESPONSE: ${describeEvent(event)}`,
      "REQ-4.1",
    );
  }
}

async function choose(world: ClientWorld, version: number): Promise<void> {
  await versionRequest(world);
  await quiet(world, QUIET_BEFORE_ANSWER_MS);
  const session = world.session;
  if (world.offered.includes(version)) session.negotiated = version;
  else session.unofferedVersion = version;
  session.timers = world.timers;
  session.send({
    type: "VERSION_RESPONSE",
    version: 0,
    status: "OK",
    chosenVersion: version,
    ...world.timers,
    supportedVersions: world.serverVersions,
  });
}

Then(
  "its first PDU is a VERSION_REQUEST with header version 0 listing the versions it offers",
  async function (this: ClientWorld) {
    const request = await versionRequest(this);
    const listed = [...new Set(request.versions)].sort((a, b) => a - b);
    const offered = [...this.offered].sort((a, b) => a - b);
    if (listed.join(",") !== offered.join(",")) {
      this.session.fail(
        `the VERSION_REQUEST lists [${request.versions}], but the client was told to offer [${offered}]`,
        "REQ-4.1",
      );
    }
  },
);

Then("it sends nothing else for {int} ms", async function (this: ClientWorld, ms: number) {
  await quiet(this, ms);
});

When("the scripted server chooses version {int}", async function (this: ClientWorld, v: number) {
  await choose(this, v);
});

When("the client has negotiated version {int}", async function (this: ClientWorld, v: number) {
  await choose(this, v);
});

When(
  "the scripted server answers the VERSION_REQUEST with NO_COMMON_VERSION",
  async function (this: ClientWorld) {
    await versionRequest(this);
    await quiet(this, QUIET_BEFORE_ANSWER_MS);
    this.session.send({
      type: "VERSION_RESPONSE",
      version: 0,
      status: "NO_COMMON_VERSION",
      chosenVersion: 0,
      ...this.timers,
      supportedVersions: this.serverVersions,
    });
  },
);

When(
  "the scripted server answers the VERSION_REQUEST with ERROR {word}",
  async function (this: ClientWorld, code: string) {
    await versionRequest(this);
    await quiet(this, QUIET_BEFORE_ANSWER_MS);
    this.session.send({
      type: "ERROR",
      version: 0,
      code: code as ErrorCodeName,
      text: "scripted error",
    });
  },
);

Then(
  "every PDU it sent after the VERSION_RESPONSE carried header version {int}",
  function (this: ClientWorld, version: number) {
    const session = this.session;
    const after = session.received.filter(
      (event) => event.pdu.type !== "VERSION_REQUEST" && event.pdu.type !== "ERROR",
    );
    if (after.length === 0) session.fail("the client sent nothing after the VERSION_RESPONSE");
    const wrong = after.find((event) => event.pdu.version !== version);
    if (wrong) {
      session.fail(`${wrong.pdu.type} carried header version ${wrong.pdu.version}`, "REQ-4.5");
    }
  },
);

Then(
  "the client closes the connection, at most after an ERROR WRONG_VERSION with header version 0",
  async function (this: ClientWorld) {
    const session = this.session;
    const deadline = performance.now() + this.parameters.replyTimeoutMs;
    let sawError = false;
    for (;;) {
      const event = await session.next(deadline - performance.now());
      if (event.kind === "eof" || event.kind === "reset") {
        const ping = session.pings.find((p) => p.at > (session.versionResponseSentAt ?? 0));
        if (ping) session.fail("the client sent a PING after the VERSION_RESPONSE", "REQ-4.11");
        return;
      }
      if (event.kind === "pdu" && event.pdu.type === "ERROR" && !sawError) {
        if (event.pdu.code !== "WRONG_VERSION" || event.pdu.version !== 0) {
          session.fail(
            `expected ERROR WRONG_VERSION with header version 0 or the close, got ${describeEvent(event)}`,
            "REQ-4.11",
          );
        }
        sawError = true;
        continue;
      }
      session.fail(`expected the close, got ${describeEvent(event)}`, "REQ-4.11");
    }
  },
);
