/**
 * Steps of timer-moments.feature: they move the events a wrong clock would start from (a late
 * negotiation, a refused login, refused PDUs, the server's own sends) and judge each timer from the
 * moment the spec names (REQ-7.3, REQ-7.4, REQ-7.9, REQ-7.11).
 */
import { defineParameterType, Given, Then, When } from "@cucumber/cucumber";
import type { PduOfType } from "../../generated/index.ts";
import type { ClientSession } from "../support/client-session.ts";
import { everyInterval } from "../support/every-interval.ts";
import { knownHandshakeTimeout } from "../support/handshake-timeout.ts";
import { REFUSALS, refusal } from "../support/refusals.ts";
import { expectTimedClose } from "../support/timed-close.ts";
import { Unsupported } from "../support/unsupported.ts";
import type { ParrotWorld } from "../support/world.ts";

// "a CHAT over the maximum length": one of the kinds of refused PDU, by name (support/refusals.ts).
defineParameterType({
  name: "refusal",
  regexp: new RegExp(Object.keys(REFUSALS).join("|")),
  transformer: (text: string) => text,
});

/** When the PONG to a session's last PING arrived: the server had its last frame by then. */
const lastPongAt = new WeakMap<ClientSession, number>();

/**
 * How long after the connect to send the event under test so that a handshake clock wrongly started by
 * it would close visibly late: past the connect + timeout + tolerance + slack the judge allows. The
 * event comes before the true deadline (or close to it: the answer may lose the race with the timer,
 * which the steps accept). The midpoint of tolerance + slack and the timeout.
 */
function lateEnoughWait(world: ParrotWorld, timeoutMs: number): number {
  const { timeoutToleranceMs: tolerance, slackMs: slack } = world.parameters;
  if (timeoutMs - (tolerance + slack) < 200) {
    throw new Unsupported(
      `the handshake timeout (${timeoutMs} ms) is too short to tell a clock started late from one ` +
        `started on time with ${tolerance} ms of tolerance and ${slack} ms of slack`,
    );
  }
  return (tolerance + slack + timeoutMs) / 2;
}

async function untilAfterConnect(world: ParrotWorld, session: ClientSession): Promise<void> {
  const wait = lateEnoughWait(world, knownHandshakeTimeout(world));
  const remaining = session.peer.connectedAt + wait - world.now();
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, remaining)));
}

/**
 * The answer to a request sent late in the handshake, or undefined if the handshake timeout closed
 * the connection first (its ERROR stays queued for the step that judges the close).
 */
async function lateAnswer<T extends "VERSION_RESPONSE" | "LOGIN_RESPONSE">(
  session: ClientSession,
  type: T,
): Promise<PduOfType<T> | undefined> {
  const event = await session.peer.take(
    (e) => e.kind === "pdu" && e.pdu.type === type,
    session.parameters.replyTimeoutMs,
  );
  if (event.kind === "pdu" && event.pdu.type === type) return event.pdu as PduOfType<T>;
  if (event.kind === "timeout") session.fail(`no ${type} and no close`);
  return undefined;
}

When(
  "{string} waits until a handshake clock started later would be seen to be late, then negotiates and keeps pinging",
  async function (this: ParrotWorld, name: string) {
    const session = this.session(name);
    await untilAfterConnect(this, session);
    session.offerVersions([this.protocolVersion]);
    const response = await lateAnswer(session, "VERSION_RESPONSE");
    if (response === undefined) return;
    if (response.status !== "OK") session.fail(`negotiation failed: ${response.status}`);
    session.negotiatedVersion = response.chosenVersion;
    session.advertised = response;
    session.keepAlive();
  },
);

When(
  "{string} waits until a handshake clock started later would be seen to be late, then fails to log in once",
  async function (this: ParrotWorld, name: string) {
    const session = this.session(name);
    await untilAfterConnect(this, session);
    session.sendLogin("user1", "not-the-password");
    const response = await lateAnswer(session, "LOGIN_RESPONSE");
    if (response !== undefined && response.status !== "BAD_CREDENTIALS") {
      session.fail(`expected BAD_CREDENTIALS for a wrong password, got ${response.status}`);
    }
  },
);

When(
  "{string} sends {refusal} every advertised ping interval for {int} times the ping timeout",
  async function (this: ParrotWorld, name: string, kind: string, times: number) {
    const versions = await this.serverVersions();
    await everyInterval(this, name, times, (session) =>
      refusal(kind).sendAndJudge(session, versions),
    );
  },
);

Given("{string} stays silent after a last PING", async function (this: ParrotWorld, name: string) {
  const session = this.session(name);
  session.peer.stopKeepAlive();
  await session.pingRoundTrip(session.takeToken(), "the last PING before the silence");
  lastPongAt.set(session, session.peer.lastReceivedAt);
});

When(
  "{string} sends direct messages to {string} every quarter ping interval",
  function (this: ParrotWorld, name: string, to: string) {
    const session = this.session(name);
    const { pingIntervalMs } = this.advertisedTimers(name);
    let messageId = 0;
    const send = () => {
      if (session.peer.closed) return;
      session.peer.send({
        type: "DIRECT_SEND",
        version: session.headerVersion,
        messageId: messageId++,
        to,
        text: "are you there?",
      });
    };
    const timer = setInterval(send, pingIntervalMs / 4);
    this.onCleanup(() => clearInterval(timer));
    send();
  },
);

Then(
  "the server closes {string} with ERROR PING_TIMEOUT counted from its last PING, whatever it sent {string} meanwhile",
  async function (this: ParrotWorld, name: string, _sameName: string) {
    const session = this.session(name);
    const pongAt = lastPongAt.get(session);
    if (pongAt === undefined) throw new Error(`scenario bug: "${name}" sent no last PING`);
    await expectTimedClose(this, this.parameters, {
      session,
      code: "PING_TIMEOUT",
      timerName: "the advertised ping timeout",
      timeoutMs: this.advertisedTimers(name).pingTimeoutMs,
      startEarliest: session.peer.lastFrameSentAt,
      startLatest: pongAt,
      ignore: (event) => event.kind === "pdu" && event.pdu.type === "DIRECT_MESSAGE",
    });
  },
);
