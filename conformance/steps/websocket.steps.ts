/**
 * Steps of websocket-binding.feature (spec §2.3): connections the suite opens as WebSockets of its
 * own (support/websocket-probe.ts), so that it sees the handshake's HTTP answer, each message's
 * kind and the close code. Unsupported unless the run speaks WebSocket (`--transport ws`).
 */
import { Given, Then, When } from "@cucumber/cucumber";
import { encode, encodeHeader } from "../../generated/index.ts";
import { ClientSession, describeEvent } from "../support/client-session.ts";
import { describePdu } from "../support/raw-peer.ts";
import { Unsupported } from "../support/unsupported.ts";
import {
  type HandshakeOutcome,
  openWebSocket,
  type WebSocketProbe,
} from "../support/websocket-probe.ts";
import { withDeadline } from "../support/with-deadline.ts";
import type { ParrotWorld } from "../support/world.ts";

const SUBPROTOCOL = "parrot.v1";
/** The largest frame, header included: the largest message every server must accept (REQ-2.15). */
const LARGEST_FRAME_BYTES = 8 + 8192;

/** The probes of a scenario by connection name, and its last handshake's outcome. */
interface ScenarioSockets {
  probes: Map<string, WebSocketProbe>;
  lastHandshake?: HandshakeOutcome;
}
const sockets = new WeakMap<ParrotWorld, ScenarioSockets>();

function socketsOf(world: ParrotWorld): ScenarioSockets {
  let entry = sockets.get(world);
  if (entry === undefined) {
    entry = { probes: new Map() };
    sockets.set(world, entry);
  }
  return entry;
}

function probe(world: ParrotWorld, name: string): WebSocketProbe {
  const found = socketsOf(world).probes.get(name);
  if (found === undefined) throw new Error(`scenario bug: "${name}" is not a watched WebSocket`);
  return found;
}

/** Opens a watched WebSocket offering parrot.v1 and makes it the scenario's connection `name`. */
async function openWatched(world: ParrotWorld, name: string): Promise<ClientSession> {
  const { target, replyTimeoutMs } = world.parameters;
  const outcome = await openWebSocket(target, [SUBPROTOCOL], name, replyTimeoutMs);
  if (outcome.kind !== "upgraded") {
    throw new Error(
      `the WebSocket handshake offering ${SUBPROTOCOL} failed: ${outcome.kind === "refused" ? `HTTP ${outcome.status}` : outcome.reason} (REQ-2.10)`,
    );
  }
  socketsOf(world).probes.set(name, outcome.probe);
  world.sessions.get(name)?.peer.destroy();
  const session = new ClientSession(name, outcome.probe.peer, world.parameters);
  world.sessions.set(name, session);
  return session;
}

async function negotiatedWatched(world: ParrotWorld, name: string): Promise<ClientSession> {
  const session = await openWatched(world, name);
  const response = await session.negotiate([world.protocolVersion]);
  if (response.status !== "OK") session.fail(`negotiating failed: ${describePdu(response)}`);
  session.keepAlive();
  return session;
}

Given("the run speaks WebSocket to the server", function (this: ParrotWorld) {
  const transport =
    this.parameters.target.transport ?? (this.parameters.target.tls ? "tls" : "tcp");
  if (transport !== "ws") {
    throw new Unsupported(
      `the run dials ${transport}; the WebSocket binding is judged with --transport ws`,
    );
  }
});

Given("a watched WebSocket {string}", async function (this: ParrotWorld, name: string) {
  await openWatched(this, name);
});

Given(
  "a watched WebSocket {string} that has negotiated",
  async function (this: ParrotWorld, name: string) {
    await negotiatedWatched(this, name);
  },
);

Given(
  "a watched WebSocket {string} logged in as {string}",
  async function (this: ParrotWorld, name: string, user: string) {
    const session = await negotiatedWatched(this, name);
    const response = await session.login(user, this.account(user).password);
    if (response.status !== "OK") session.fail(`logging in failed: ${describePdu(response)}`);
  },
);

When(
  "a WebSocket handshake offers the subprotocols {string}",
  async function (this: ParrotWorld, offered: string) {
    const protocols = offered
      .split(",")
      .map((name) => name.trim())
      .filter((name) => name !== "");
    const { target, replyTimeoutMs } = this.parameters;
    const outcome = await openWebSocket(target, protocols, "handshake", replyTimeoutMs);
    socketsOf(this).lastHandshake = outcome;
    if (outcome.kind === "upgraded") {
      // Not the scenario's connection: closed at once, whatever the verdict.
      outcome.probe.close(1000);
    }
  },
);

Then(
  "the server refuses that handshake with HTTP status {int} and no upgrade",
  function (this: ParrotWorld, status: number) {
    const outcome = socketsOf(this).lastHandshake;
    if (outcome === undefined) throw new Error("scenario bug: no handshake was made");
    if (outcome.kind === "refused" && outcome.status === status) return;
    const got =
      outcome.kind === "upgraded"
        ? `an upgrade (subprotocol "${outcome.probe.protocol}")`
        : outcome.kind === "refused"
          ? `HTTP ${outcome.status}`
          : `a failed handshake: ${outcome.reason}`;
    throw new Error(`expected HTTP ${status} and no upgrade, got ${got}`);
  },
);

Then(
  "the server selected the subprotocol {string} for {string}",
  function (this: ParrotWorld, expected: string, name: string) {
    const selected = probe(this, name).protocol;
    if (selected !== expected) {
      this.session(name).fail(`the server selected subprotocol "${selected}", not "${expected}"`);
    }
  },
);

When(
  "{string} sends a VERSION_REQUEST one byte per message, an empty message after each",
  async function (this: ParrotWorld, name: string) {
    const session = this.session(name);
    const socket = probe(this, name);
    const frame = encode({ type: "VERSION_REQUEST", version: 0, versions: [this.protocolVersion] });
    for (let i = 0; i < frame.length; i++) {
      // One write of one byte through the peer is one binary message (websocket-probe.ts).
      const last = i === frame.length - 1;
      session.peer.sendRaw(frame.subarray(i, i + 1), `byte ${i} of a VERSION_REQUEST`, last);
      socket.sendEmptyMessage();
    }
  },
);

Then(
  "{string} gets VERSION_RESPONSE OK and can log in as {string}",
  async function (this: ParrotWorld, name: string, user: string) {
    const session = this.session(name);
    const response = await session.readVersionResponse();
    if (response.status !== "OK")
      session.fail(`expected VERSION_RESPONSE OK, got ${describePdu(response)}`);
    session.keepAlive();
    const login = await session.login(user, this.account(user).password);
    if (login.status !== "OK") session.fail(`logging in failed: ${describePdu(login)}`);
  },
);

When("{string} sends a text message", function (this: ParrotWorld, name: string) {
  probe(this, name).sendText("PR hello: not a binary message");
});

When(
  "{string} sends half a CHAT frame and closes its WebSocket with close code {int}",
  function (this: ParrotWorld, name: string, code: number) {
    const session = this.session(name);
    const frame = encode({
      type: "CHAT",
      version: session.headerVersion,
      messageId: 7,
      text: "this frame is cut off by the close frame",
    });
    const cut = Math.floor(frame.length / 2);
    session.peer.sendRaw(frame.subarray(0, cut), `a CHAT frame cut off after ${cut} bytes`, false);
    session.peer.stopKeepAlive();
    probe(this, name).close(code);
  },
);

When(
  "{string} sends a PDU of unknown type {int} in one message of 8200 bytes",
  function (this: ParrotWorld, name: string, type: number) {
    const session = this.session(name);
    const payloadLength = LARGEST_FRAME_BYTES - 8;
    const frame = Buffer.concat([
      encodeHeader({ version: session.headerVersion, messageType: type, payloadLength }),
      Buffer.alloc(payloadLength, 0x61),
    ]);
    session.peer.sendRaw(frame, `PDU of unknown type ${type} with ${payloadLength} payload bytes`);
  },
);

Then(
  "the server closed the WebSocket of {string} with close code {int}",
  async function (this: ParrotWorld, name: string, code: number) {
    const session = this.session(name);
    const ended = await withDeadline(probe(this, name).ended, this.parameters.replyTimeoutMs);
    if (ended?.code === code) return;
    const what =
      ended === undefined
        ? "no close within the reply timeout"
        : ended.code === 1006
          ? "the connection dropped without a close frame"
          : `close code ${ended.code}`;
    session.fail(`expected close code ${code}, got ${what}`);
  },
);

Then(
  "the server closes the WebSocket of {string} with close code {int}, sending no PDU first",
  async function (this: ParrotWorld, name: string, code: number) {
    const session = this.session(name);
    const event = await session.nextEvent(`the close with code ${code}`);
    if (event.kind === "pdu" || event.kind === "undecodable") {
      session.fail(
        `expected the close with code ${code} and no PDU first, got ${describeEvent(event)}`,
      );
    }
    const ended = await withDeadline(probe(this, name).ended, this.parameters.replyTimeoutMs);
    if (ended?.code !== code)
      session.fail(`expected close code ${code}, got ${ended?.code ?? "no close"}`);
  },
);

Then(
  "every message the server sent {string} was binary",
  function (this: ParrotWorld, name: string) {
    const received = probe(this, name).received;
    const text = received.filter((message) => !message.binary);
    if (received.length === 0) this.session(name).fail("the server sent no message at all");
    if (text.length > 0) {
      this.session(name).fail(
        `${text.length} of the ${received.length} messages the server sent were text messages`,
      );
    }
  },
);
