/**
 * The steps of flow-model.feature: put a connection in a state, send one well-formed PDU of a type, and
 * judge the server's answer, its close or not, and the state that follows against the flow tables
 * (support/flow-model.ts), asked again at run time.
 */
import { Given, Then, When } from "@cucumber/cucumber";
import type { MessageTypeName, Transition } from "../../generated/index.ts";
import { type ClientSession, describeEvent } from "../support/client-session.ts";
import { blame } from "../support/conformance-failure.ts";
import {
  describeExpectation,
  expectationFor,
  type FlowExpectation,
  isModelState,
  type ModelState,
  modelPdu,
  replyOutcome,
} from "../support/flow-model.ts";
import { describePdu } from "../support/raw-peer.ts";
import type { ParrotWorld } from "../support/world.ts";

/** The account the model logs in with; cleanup logs it out after every row. */
const MODEL_USER = "user5";

Given(
  "a connection {string} in state {word} of protocol version {int}",
  async function (this: ParrotWorld, name: string, state: string, version: number) {
    if (!isModelState(state)) throw new Error(`scenario bug: ${state} is not a model state`);
    if (state === "CONNECTED") await this.open(name);
    else if (state === "NEGOTIATED") await this.negotiated(name, version);
    else await this.loggedIn(name, MODEL_USER, version);
  },
);

When(
  "{string} sends the flow model's {word} PDU",
  function (this: ParrotWorld, name: string, type: string) {
    const session = this.session(name);
    // The keep-alive would put PINGs of its own between the PDU and the probes that judge it.
    session.peer.stopKeepAlive();
    session.peer.send(
      modelPdu({ version: this.protocolVersion, state: modelState(session), type: asType(type) }),
    );
  },
);

Then(
  /^the server answers "([^"]+)" as the flow tables say for (\w+) in (\w+) of version (\d+): .*$/,
  async function (this: ParrotWorld, name: string, type: string, state: string, version: string) {
    if (!isModelState(state)) throw new Error(`scenario bug: ${state} is not a model state`);
    const session = this.session(name);
    const row = { version: Number(version), state, type: asType(type) };
    const expectation = expectationFor(row, await this.serverVersions());
    session.peer.transcript.note(`flow tables: ${describeExpectation(expectation)}`);
    const next = await judgeAnswer(session, state, expectation);
    await probeState(session, next);
  },
);

/** Judges the server's answer; returns the state the connection must be in now. */
async function judgeAnswer(
  session: ClientSession,
  state: ModelState,
  expectation: FlowExpectation,
): Promise<ModelState | "CLOSED"> {
  if (expectation.kind === "reject" && expectation.or !== undefined) {
    const error = await session.expectPdu(
      "ERROR",
      `ERROR ${expectation.error} or ${expectation.or}`,
    );
    if (error.code !== expectation.error && error.code !== expectation.or) {
      session.fail(
        `expected ERROR ${expectation.error} or ${expectation.or}, got ERROR ${error.code}`,
      );
    }
    await blame("REQ-8.4", () =>
      session.expectServed(`the connection to go on after ERROR ${error.code}`),
    );
    return state;
  }
  if (expectation.kind === "reject") {
    await session.expectErrorReaction(expectation.error);
    return expectation.closes ? "CLOSED" : state;
  }
  if (expectation.kind === "ignore") {
    await session.expectServed("no reply to a peer's ERROR whose code does not close (REQ-8.5)");
    return state === "CONNECTED" ? "NEGOTIATED" : state;
  }
  return judgeTransition(session, expectation.transitions);
}

/**
 * One of the transitions must be taken: its reply (with its outcome) comes next, or, for a transition
 * without a reply, the PONG of a PING sent right behind the PDU (or the close, for LOGOUT).
 */
async function judgeTransition(
  session: ClientSession,
  transitions: readonly Transition[],
): Promise<ModelState | "CLOSED"> {
  const silent = transitions.find((t) => t.replies === null);
  const token = session.takeToken();
  // Behind a PDU that closes (LOGOUT) the PING must not be answered (REQ-9.2); the close is awaited.
  const barrier = silent !== undefined && silent.next !== "CLOSED";
  if (barrier) session.peer.send({ type: "PING", version: session.headerVersion, token });
  const allowed = transitions.map((t) => `${t.replies ?? "no reply"} ${t.outcome}`).join(", or ");
  const event = await session.nextEvent(`the flow tables' answer: ${allowed}`);
  if (event.kind !== "pdu") {
    if (silent?.next === "CLOSED" && (event.kind === "eof" || event.kind === "reset")) {
      return "CLOSED";
    }
    return session.fail(`expected ${allowed}; got ${describeEvent(event)}`);
  }
  const { pdu } = event;
  if (barrier && pdu.type === "PONG" && pdu.token === token) return toModelState(silent.next);
  const taken = transitions.find((t) => t.replies === pdu.type && t.outcome === replyOutcome(pdu));
  if (!taken) return session.fail(`expected ${allowed}; got ${describePdu(pdu)}`);
  if (pdu.version !== (pdu.type === "VERSION_RESPONSE" ? 0 : session.headerVersion)) {
    session.fail(`${describePdu(pdu)} carried header version ${pdu.version}`, [], "REQ-4.9");
  }
  if (pdu.type === "VERSION_RESPONSE" && pdu.status === "OK") {
    session.negotiatedVersion = pdu.chosenVersion;
    session.advertised = pdu;
  }
  if (taken.next === "CLOSED") {
    await session.expectClosed(`the close after ${describePdu(pdu)}`);
    return "CLOSED";
  }
  await drainFanOut(session, taken, barrier ? token : undefined);
  return toModelState(taken.next);
}

/**
 * What the transition fans out to the requester itself (the JOINED of its own join) may come behind the
 * reply; a PING barrier then proves nothing else did.
 */
async function drainFanOut(
  session: ClientSession,
  taken: Transition,
  pendingToken: number | undefined,
): Promise<void> {
  const token = pendingToken ?? session.takeToken();
  if (pendingToken === undefined) {
    session.peer.send({ type: "PING", version: session.headerVersion, token });
  }
  const fanOut = new Set<MessageTypeName>(taken.fanOut.map((f) => f.sends));
  for (;;) {
    const event = await session.nextEvent(`PONG token=${token} behind ${taken.receives}'s answer`);
    if (event.kind === "pdu" && event.pdu.type === "PONG" && event.pdu.token === token) return;
    if (event.kind === "pdu" && fanOut.has(event.pdu.type)) continue;
    session.fail(`expected PONG token=${token} next; got ${describeEvent(event)}`, [], "REQ-8.4");
  }
}

/** Proves the state: closed, or a CHAT refused before login and echoed after it. */
async function probeState(session: ClientSession, state: ModelState | "CLOSED"): Promise<void> {
  switch (state) {
    case "CLOSED":
      return;
    case "CONNECTED":
      return session.expectServed("negotiation still possible: the state must be CONNECTED");
    case "NEGOTIATED":
      session.peer.send({
        type: "CHAT",
        version: session.headerVersion,
        messageId: 1,
        text: "probe",
      });
      return blame("REQ-8.4", () => session.expectErrorReaction("AUTHENTICATION_REQUIRED"));
    case "AUTHENTICATED":
      return blame("REQ-8.4", () => session.chatRoundTrip(1, "probe"));
  }
}

/** The state a connection is in before the model's PDU, from what the scenario did to it. */
function modelState(session: ClientSession): ModelState {
  if (session.negotiatedVersion === null) return "CONNECTED";
  return session.user === undefined ? "NEGOTIATED" : "AUTHENTICATED";
}

function toModelState(state: string): ModelState | "CLOSED" {
  if (state === "CLOSED" || isModelState(state)) return state;
  throw new Error(`flow model: unexpected state ${state}`);
}

function asType(type: string): MessageTypeName {
  return type as MessageTypeName;
}
