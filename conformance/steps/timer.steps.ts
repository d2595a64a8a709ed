/**
 * PING/PONG and the server's timers (spec/README.md §7): the ping timeout, judged against what the server
 * advertises, and the handshake timeout, judged against --handshake-timeout.
 */
import { Given, Then, When } from "@cucumber/cucumber";
import { encode, encodeHeader } from "../../generated/index.ts";
import { everyInterval } from "../support/every-interval.ts";
import { knownHandshakeTimeout } from "../support/handshake-timeout.ts";
import { expectTimedClose } from "../support/timed-close.ts";
import { Unsupported } from "../support/unsupported.ts";
import type { ParrotWorld } from "../support/world.ts";

When(
  "{string} sends PING with token {int}",
  function (this: ParrotWorld, name: string, token: number) {
    const session = this.session(name);
    session.peer.send({ type: "PING", version: session.headerVersion, token });
  },
);

Then(
  "{string} receives PONG with token {int}",
  async function (this: ParrotWorld, name: string, token: number) {
    const session = this.session(name);
    const pong = await session.expectPdu("PONG", `PONG token=${token}`);
    if (pong.token !== token) session.fail(`PONG carried token ${pong.token}; expected ${token}`);
  },
);

When(
  "{string} sends {int} PINGs in one write",
  function (this: ParrotWorld, name: string, count: number) {
    const session = this.session(name);
    const frames = Array.from({ length: count }, (_, i) =>
      encode({ type: "PING", version: session.headerVersion, token: 1000 + i }),
    );
    session.peer.sendRaw(
      Buffer.concat(frames),
      `${count} PINGs, tokens 1000..${999 + count}, one write`,
    );
  },
);

Then(
  "{string} receives their {int} PONGs in order",
  async function (this: ParrotWorld, name: string, count: number) {
    const session = this.session(name);
    for (let i = 0; i < count; i++) {
      const pong = await session.expectPdu("PONG", `PONG token=${1000 + i}`);
      if (pong.token !== 1000 + i)
        session.fail(`PONG carried token ${pong.token}; expected ${1000 + i}`);
    }
  },
);

// Used as When and Then: the close is both what happens and what is judged.
const pingTimeoutClose = async function (this: ParrotWorld, name: string) {
  const session = this.session(name);
  const { pingTimeoutMs } = this.advertisedTimers(name);
  await expectTimedClose(this, this.parameters, {
    session,
    code: "PING_TIMEOUT",
    timerName: "the advertised ping timeout",
    timeoutMs: pingTimeoutMs,
    // The clock restarts on the last complete frame the server received from us (REQ-7.3).
    startEarliest: session.peer.lastFrameSentAt,
    startLatest: Math.max(session.peer.lastFrameSentAt, session.peer.lastReceivedAt),
  });
};
When(
  "the server closes {string} with ERROR PING_TIMEOUT within the advertised ping timeout and its tolerance",
  pingTimeoutClose,
);

Given(
  "the ping timeout advertised to {string} ends before the handshake timeout",
  function (this: ParrotWorld, name: string) {
    const handshake = knownHandshakeTimeout(this);
    const { pingTimeoutMs } = this.advertisedTimers(name);
    if (pingTimeoutMs + this.parameters.timeoutToleranceMs >= handshake) {
      throw new Unsupported(
        `the ping timeout (${pingTimeoutMs} ms) does not end before the handshake timeout ` +
          `(${handshake} ms), so which of the two closes a silent unauthenticated connection is open`,
      );
    }
  },
);

Given("the server's handshake timeout is known", function (this: ParrotWorld) {
  knownHandshakeTimeout(this);
});

Then(
  "the server closes {string} with ERROR HANDSHAKE_TIMEOUT within the handshake timeout and its tolerance",
  async function (this: ParrotWorld, name: string) {
    const session = this.session(name);
    await expectTimedClose(this, this.parameters, {
      session,
      code: "HANDSHAKE_TIMEOUT",
      timerName: "the handshake timeout given by --handshake-timeout",
      timeoutMs: knownHandshakeTimeout(this),
      startEarliest: session.peer.connectStartedAt,
      startLatest: session.peer.connectedAt,
    });
  },
);

When(
  "{string} sends a PING every advertised ping interval for {int} times the ping timeout",
  async function (this: ParrotWorld, name: string, times: number) {
    await everyInterval(this, name, times, (session) =>
      session.pingRoundTrip(session.takeToken(), "a PONG: the session must be kept alive"),
    );
  },
);

When(
  "{string} sends a CHAT every advertised ping interval for {int} times the ping timeout",
  async function (this: ParrotWorld, name: string, times: number) {
    let id = 0;
    await everyInterval(this, name, times, (session) =>
      session.chatRoundTrip(id++, "keeping alive"),
    );
  },
);

When(
  "{string} sends a PDU of unknown type {int} every advertised ping interval for {int} times the ping timeout",
  async function (this: ParrotWorld, name: string, type: number, times: number) {
    await everyInterval(this, name, times, async (session) => {
      session.peer.sendRaw(
        encodeHeader({ version: session.headerVersion, messageType: type, payloadLength: 0 }),
        `PDU of unknown type ${type}, empty payload`,
      );
      const error = await session.expectPdu("ERROR", "ERROR UNKNOWN_MESSAGE_TYPE");
      if (error.code !== "UNKNOWN_MESSAGE_TYPE") {
        session.fail(`expected ERROR UNKNOWN_MESSAGE_TYPE, got ERROR ${error.code}`);
      }
    });
  },
);

// REQ-7.7: only complete frames restart the clock. The bytes of one PING trickle in, never completing
// it, every half interval, which would keep the session alive if bytes counted.
When(
  "{string} starts a PING and sends one more byte of it every half ping interval",
  function (this: ParrotWorld, name: string) {
    const session = this.session(name);
    const { pingIntervalMs } = this.advertisedTimers(name);
    const frame = encode({ type: "PING", version: session.headerVersion, token: 99 });
    let sent = 0;
    const sendByte = () => {
      if (session.peer.closed || sent >= frame.length - 1) return clearInterval(timer);
      session.peer.sendRaw(frame.subarray(sent, sent + 1), `byte ${sent} of a PING frame`, false);
      sent++;
    };
    const timer = setInterval(sendByte, pingIntervalMs / 2);
    this.onCleanup(() => clearInterval(timer));
    sendByte();
  },
);
