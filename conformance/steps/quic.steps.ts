/**
 * Steps of quic-binding.feature (spec §14): QUIC connections the suite opens itself
 * (support/quic-probe.ts), so that it sees a refused handshake and the application error code the
 * server closes a connection with. Unsupported unless the run speaks QUIC (`--transport quic`).
 */
import { Given, Then, When } from "@cucumber/cucumber";
import { ClientSession } from "../support/client-session.ts";
import {
  openQuic,
  QUIC_APP_ERROR,
  type QuicHandshake,
  type QuicProbe,
} from "../support/quic-probe.ts";
import { describePdu } from "../support/raw-peer.ts";
import { Unsupported } from "../support/unsupported.ts";
import { withDeadline } from "../support/with-deadline.ts";
import type { ParrotWorld } from "../support/world.ts";

/** The probes of a scenario by connection name, and its last handshake's outcome. */
interface ScenarioConnections {
  probes: Map<string, QuicProbe>;
  lastHandshake?: QuicHandshake;
}
const connections = new WeakMap<ParrotWorld, ScenarioConnections>();

function connectionsOf(world: ParrotWorld): ScenarioConnections {
  let entry = connections.get(world);
  if (entry === undefined) {
    entry = { probes: new Map() };
    connections.set(world, entry);
    world.onCleanup(() => {
      for (const probe of entry?.probes.values() ?? []) probe.destroy();
    });
  }
  return entry;
}

function probe(world: ParrotWorld, name: string): QuicProbe {
  const found = connectionsOf(world).probes.get(name);
  if (found === undefined)
    throw new Error(`scenario bug: "${name}" is not a watched QUIC connection`);
  return found;
}

const ALPN_LIST = (text: string) =>
  text
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");

/** Opens a watched QUIC connection (without its stream yet) as the scenario's connection `name`. */
async function openWatched(world: ParrotWorld, name: string, alpn: readonly string[]) {
  const { target, replyTimeoutMs } = world.parameters;
  const outcome = await openQuic(target, alpn, name, replyTimeoutMs);
  if (outcome.kind !== "connected") {
    throw new Error(
      `the QUIC handshake offering ${alpn.join(", ")} failed: ${outcome.reason} (REQ-14.1)`,
    );
  }
  connectionsOf(world).probes.set(name, outcome.probe);
  return outcome.probe;
}

/** The watched connection's Parrot stream as the scenario's session `name`. */
function sessionOver(world: ParrotWorld, name: string, quic: QuicProbe): ClientSession {
  world.sessions.get(name)?.peer.destroy();
  const session = new ClientSession(name, quic.peer, world.parameters);
  world.sessions.set(name, session);
  return session;
}

Given("the run speaks QUIC to the server", function (this: ParrotWorld) {
  const transport =
    this.parameters.target.transport ?? (this.parameters.target.tls ? "tls" : "tcp");
  if (transport !== "quic") {
    throw new Unsupported(
      `the run dials ${transport}; the QUIC binding is judged with --transport quic`,
    );
  }
});

When(
  "a QUIC handshake offers only the ALPN identifiers {string}",
  async function (this: ParrotWorld, offered: string) {
    const { target, replyTimeoutMs } = this.parameters;
    const outcome = await openQuic(target, ALPN_LIST(offered), "handshake", replyTimeoutMs);
    connectionsOf(this).lastHandshake = outcome;
    if (outcome.kind === "connected") outcome.probe.destroy();
  },
);

Then(
  "the server refuses that QUIC handshake with CRYPTO_ERROR {int}",
  function (this: ParrotWorld, code: number) {
    const outcome = connectionsOf(this).lastHandshake;
    if (outcome === undefined) throw new Error("scenario bug: no handshake was made");
    if (outcome.kind === "connected") {
      throw new Error("the server accepted a QUIC connection that does not offer the ALPN parrot");
    }
    if (outcome.errorCode !== code) {
      throw new Error(
        `expected CRYPTO_ERROR 0x${code.toString(16)} (no_application_protocol), got ` +
          `${outcome.errorCode === undefined ? "no error code" : `0x${outcome.errorCode.toString(16)}`}: ${outcome.reason}`,
      );
    }
  },
);

When(
  "{string} opens a watched QUIC connection offering the ALPN identifiers {string}",
  async function (this: ParrotWorld, name: string, offered: string) {
    sessionOver(this, name, await openWatched(this, name, ALPN_LIST(offered)));
  },
);

Given(
  "a watched QUIC connection {string} that opens no stream",
  async function (this: ParrotWorld, name: string) {
    await openWatched(this, name, ["parrot"]);
  },
);

Given(
  "a watched QUIC connection {string} that has negotiated",
  async function (this: ParrotWorld, name: string) {
    const session = sessionOver(this, name, await openWatched(this, name, ["parrot"]));
    const response = await session.negotiate([this.protocolVersion]);
    if (response.status !== "OK") session.fail(`negotiating failed: ${describePdu(response)}`);
    session.keepAlive();
  },
);

Given(
  "a watched QUIC connection {string} logged in as {string}",
  async function (this: ParrotWorld, name: string, user: string) {
    const session = sessionOver(this, name, await openWatched(this, name, ["parrot"]));
    const response = await session.negotiate([this.protocolVersion]);
    if (response.status !== "OK") session.fail(`negotiating failed: ${describePdu(response)}`);
    session.keepAlive();
    const login = await session.login(user, this.account(user).password);
    if (login.status !== "OK") session.fail(`logging in failed: ${describePdu(login)}`);
  },
);

Then(
  "the server closed the QUIC connection of {string} with application error NO_ERROR",
  async function (this: ParrotWorld, name: string) {
    const ended = await withDeadline(probe(this, name).ended, this.parameters.replyTimeoutMs);
    const fail = (why: string) => {
      throw new Error(`connection "${name}": expected CONNECTION_CLOSE NO_ERROR; ${why}`);
    };
    if (ended === undefined) fail("the server left the QUIC connection open");
    // A clean close carries no error; an application close with code 0 is the same.
    if (
      ended?.errorCode !== undefined &&
      !(ended.isApp && ended.errorCode === QUIC_APP_ERROR.NO_ERROR)
    ) {
      fail(
        `got ${ended.isApp ? "application" : "transport"} error 0x${ended.errorCode.toString(16)}`,
      );
    }
  },
);

Then(
  "the server closes the QUIC connection of {string} with application error NO_STREAM once the handshake timeout has run",
  async function (this: ParrotWorld, name: string) {
    const { handshakeTimeoutMs, timeoutToleranceMs, slackMs } = this.parameters;
    if (handshakeTimeoutMs === null) {
      throw new Unsupported("the server's handshake timeout is unknown (--handshake-timeout)");
    }
    const quic = probe(this, name);
    const latest = quic.connectedAt + handshakeTimeoutMs + timeoutToleranceMs + slackMs;
    this.requireWait(latest - this.now(), "the handshake timeout");
    const ended = await withDeadline(quic.ended, latest - this.now());
    if (ended === undefined) {
      throw new Error(
        `connection "${name}": still open ${Math.round(this.now() - quic.connectStartedAt)} ms after the dial began; ` +
          `the handshake timeout is ${handshakeTimeoutMs} ms`,
      );
    }
    const after = Math.round(ended.at - quic.connectStartedAt);
    if (ended.at - quic.connectStartedAt < handshakeTimeoutMs) {
      throw new Error(
        `connection "${name}": closed ${after} ms after the dial began, before the handshake timeout of ${handshakeTimeoutMs} ms`,
      );
    }
    if (!ended.isApp || ended.errorCode !== QUIC_APP_ERROR.NO_STREAM) {
      throw new Error(
        `connection "${name}": closed after ${after} ms with ${ended.isApp ? "application" : "transport"} error ` +
          `${ended.errorCode === undefined ? "none" : `0x${ended.errorCode.toString(16)}`}, expected NO_STREAM (0x3)`,
      );
    }
  },
);
