/**
 * Typing indicators (spec/README.md §12.7): relayed as TYPING_NOTICE to the target user's version 2
 * session or to the other members of a room, never answered unless refused; expired by the server after
 * typingTimeout; rate-limited to one accepted TYPING per typingMinIntervalMs per session.
 */
import { Then, When } from "@cucumber/cucumber";
import {
  encode,
  LIMITS,
  type TargetKindName,
  type TypingStateName,
} from "../../generated/index.ts";
import type { ClientSession } from "../support/client-session.ts";
import { userOf } from "../support/room-membership.ts";
import { expiryWindow, indicatorKey, TIMER_ROUNDING_MS } from "../support/typing-indicators.ts";
import type { ParrotWorld } from "../support/world.ts";

When(
  "{string} sends TYPING {word} to the user {user}",
  function (this: ParrotWorld, name: string, state: string, target: string) {
    sendTyping(this, this.session(name), "USER", target, state as TypingStateName);
  },
);

When(
  "{string} sends TYPING {word} to the room {string}",
  function (this: ParrotWorld, name: string, state: string, room: string) {
    sendTyping(this, this.session(name), "ROOM", room, state as TypingStateName);
  },
);

// REQ-12.27: the second TYPING arrives with the first, far less than typingMinIntervalMs after it.
When(
  "{string} sends TYPING STARTED to the user {user} and, in the same write, TYPING STARTED to the room {string}",
  function (this: ParrotWorld, name: string, user: string, room: string) {
    const session = this.session(name);
    const version = session.headerVersion;
    session.peer.sendRaw(
      Buffer.concat([
        encode({ type: "TYPING", version, targetKind: "USER", target: user, state: "STARTED" }),
        encode({ type: "TYPING", version, targetKind: "ROOM", target: room, state: "STARTED" }),
      ]),
      `TYPING STARTED to user ${JSON.stringify(user)} + TYPING STARTED to room ${JSON.stringify(room)}, one write`,
    );
    this.typing.started(session, "USER", user, session.peer.lastFrameSentAt);
  },
);

When(
  "{string} sends TYPING STARTED to the user {user} twice in one write",
  function (this: ParrotWorld, name: string, user: string) {
    const session = this.session(name);
    const frame = encode({
      type: "TYPING",
      version: session.headerVersion,
      targetKind: "USER",
      target: user,
      state: "STARTED",
    });
    session.peer.sendRaw(
      Buffer.concat([frame, frame]),
      `TYPING STARTED to user ${JSON.stringify(user)}, twice, one write`,
    );
    if (canStartIndicator(this, session, "USER", user)) {
      this.typing.started(session, "USER", user, session.peer.lastFrameSentAt);
    }
  },
);

Then(
  "{string} receives TYPING_NOTICE {word} from {string}",
  async function (this: ParrotWorld, name: string, state: string, from: string) {
    await expectNotice(this, this.session(name), "USER", "", from, state as TypingStateName);
  },
);

async function receiveRoomNotice(
  this: ParrotWorld,
  names: string | string[],
  state: string,
  from: string,
  room: string,
): Promise<void> {
  await Promise.all(
    [names]
      .flat()
      .map((name) =>
        expectNotice(this, this.session(name), "ROOM", room, from, state as TypingStateName),
      ),
  );
}
Then("{string} receives TYPING_NOTICE {word} from {string} in {string}", receiveRoomNotice);
Then(
  "{connections} each receive TYPING_NOTICE {word} from {string} in {string}",
  receiveRoomNotice,
);

// REQ-12.25: the server's own STOPPED, within [typingTimeout, typingTimeout + tolerance] of the last
// STARTED it relayed (see support/typing-indicators.ts for how the window is drawn).
Then(
  "{string} receives TYPING_NOTICE STOPPED from {string} when the indicator for it expires",
  async function (this: ParrotWorld, name: string, from: string) {
    const session = this.session(name);
    await expectExpiry(
      this,
      session,
      indicatorKey(from, "USER", userOf(session)),
      "USER",
      "",
      from,
    );
  },
);

async function receiveRoomExpiry(
  this: ParrotWorld,
  names: string | string[],
  from: string,
  room: string,
): Promise<void> {
  await Promise.all(
    [names]
      .flat()
      .map((name) =>
        expectExpiry(
          this,
          this.session(name),
          indicatorKey(from, "ROOM", room),
          "ROOM",
          room,
          from,
        ),
      ),
  );
}
Then(
  "{string} receives TYPING_NOTICE STOPPED from {string} in {string} when the indicator expires",
  receiveRoomExpiry,
);
Then(
  "{connections} each receive TYPING_NOTICE STOPPED from {string} in {string} when the indicator expires",
  receiveRoomExpiry,
);

// REQ-12.26 (after a relayed STOPPED) and REQ-12.22 (a target that cannot receive it): nothing may come,
// not even an expiry, until the window in which the indicator's expiry would have come is over.
Then(
  "nothing more reaches {connections} until the indicator of {string} for the {word} {user} would have expired",
  async function (
    this: ParrotWorld,
    names: string[],
    typist: string,
    kind: string,
    target: string,
  ) {
    const targetKind: TargetKindName = kind === "room" ? "ROOM" : "USER";
    const indicator = this.typing.get(indicatorKey(typist, targetKind, target));
    const typistSession = [...this.sessions.values()].find((s) => s.user === typist);
    if (indicator.arrivals.size === 0 && typistSession) {
      // Nobody received the STARTED, so only the typist can tell when the server had it.
      await typistSession.pingRoundTrip(typistSession.takeToken(), "a PONG behind the TYPING");
      indicator.handledBy = typistSession.peer.lastReceivedAt;
    }
    const { latest } = expiryWindow(indicator, undefined, this.parameters);
    this.requireWait(latest - this.now(), "waiting out a typing indicator's expiry");
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, latest - this.now())));
    indicator.over = true;
    await Promise.all(
      names.map((name) =>
        this.session(name).expectServed("its own PONG: no notice may come after that window"),
      ),
    );
  },
);

// The server has the typist's last TYPING once the PONG of a PING sent behind it is back; waiting from
// there makes sure the next TYPING arrives the given time after it, whatever the network did.
When(
  "the typing rate limit has passed for {string}",
  async function (this: ParrotWorld, name: string) {
    await waitAfterLastTyping(this, this.session(name), LIMITS.typingMinIntervalMs);
  },
);

When(
  "half the typing timeout has passed for {string}",
  async function (this: ParrotWorld, name: string) {
    await waitAfterLastTyping(
      this,
      this.session(name),
      Math.max(this.parameters.typingTimeoutMs / 2, LIMITS.typingMinIntervalMs),
    );
  },
);

// REQ-12.28 and the rule that only accepted TYPINGs restart the interval: TYPINGs go out every fifth
// of typingMinIntervalMs, each with a PING behind it, until one is accepted. One the server received
// for certain less than the interval after the first must be refused; one sent when the interval had
// for certain passed since the server received the first must be accepted, refused ones in between or
// not. The PING's PONG bounds when the server received each TYPING.
When(
  "{string} keeps sending TYPING STARTED to the user {user} until one is accepted after the first",
  async function (this: ParrotWorld, name: string, user: string) {
    const session = this.session(name);
    const interval = LIMITS.typingMinIntervalMs;
    const first = await typingRoundTrip(session, user);
    if (!first.accepted) {
      session.fail("the first TYPING, the session's first, was refused with RATE_LIMITED");
    }
    this.typing.started(session, "USER", user, first.sentAt);
    this.acceptedTypings = 1;
    const deadline = first.ackAt + interval + this.parameters.replyTimeoutMs;
    for (let attempt = 1; ; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, interval / 5));
      const result = await typingRoundTrip(session, user);
      const surelyEarly = result.ackAt < first.sentAt + interval;
      const surelyLate = result.sentAt >= first.ackAt + interval;
      if (result.accepted && surelyEarly) {
        session.fail(
          `TYPING ${attempt + 1} was accepted though the server had it less than ${interval} ms after ` +
            "the first accepted one; it must be refused with RATE_LIMITED (REQ-12.27)",
          [],
          "REQ-12.27",
        );
      }
      if (result.accepted) {
        this.acceptedTypings++;
        this.typing.started(session, "USER", user, result.sentAt);
        return;
      }
      if (surelyLate) {
        session.fail(
          `TYPING ${attempt + 1} was refused though it was sent ${Math.round(result.sentAt - first.ackAt)} ms ` +
            `after the server had the first accepted one, more than typingMinIntervalMs (${interval} ms); ` +
            "refused TYPINGs must not restart the interval",
        );
      }
      if (this.now() > deadline) session.fail("no TYPING was accepted again");
    }
  },
);

Then(
  "{string} receives one TYPING_NOTICE STARTED from {string} for each accepted TYPING",
  async function (this: ParrotWorld, name: string, from: string) {
    const session = this.session(name);
    for (let i = 0; i < this.acceptedTypings; i++) {
      await expectNotice(this, session, "USER", "", from, "STARTED");
    }
  },
);

async function waitAfterLastTyping(
  world: ParrotWorld,
  session: ClientSession,
  ms: number,
): Promise<void> {
  await session.pingRoundTrip(session.takeToken(), "a PONG: the TYPING before it was handled");
  // The PONG arrived after the server had the TYPING, so the next one, sent later, arrives at least
  // `ms` after it; TIMER_ROUNDING_MS covers a timer firing a millisecond early.
  const until = session.peer.lastReceivedAt + ms + TIMER_ROUNDING_MS;
  world.requireWait(until - world.now(), "waiting between TYPINGs");
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, until - world.now())));
}

function sendTyping(
  world: ParrotWorld,
  session: ClientSession,
  targetKind: TargetKindName,
  target: string,
  state: TypingStateName,
): void {
  session.peer.send({ type: "TYPING", version: session.headerVersion, targetKind, target, state });
  if (state === "STOPPED") {
    world.typing.stopped(session, targetKind, target);
  } else if (canStartIndicator(world, session, targetKind, target)) {
    world.typing.started(session, targetKind, target, session.peer.lastFrameSentAt);
  }
}

/**
 * Whether a STARTED can start an indicator the server will time: not on a version 1 connection, and not
 * to a room the typist is not in (both refused), as far as the scenario's setup tells.
 */
function canStartIndicator(
  world: ParrotWorld,
  session: ClientSession,
  targetKind: TargetKindName,
  target: string,
): boolean {
  if (session.negotiatedVersion === null || session.negotiatedVersion < 2) return false;
  return targetKind === "USER" || world.rooms.members(target).includes(session);
}

/** Sends TYPING STARTED and a PING in one write; refused if ERROR RATE_LIMITED came before the PONG. */
async function typingRoundTrip(
  session: ClientSession,
  user: string,
): Promise<{ accepted: boolean; sentAt: number; ackAt: number }> {
  const version = session.headerVersion;
  const token = session.takeToken();
  session.peer.sendRaw(
    Buffer.concat([
      encode({ type: "TYPING", version, targetKind: "USER", target: user, state: "STARTED" }),
      encode({ type: "PING", version, token }),
    ]),
    `TYPING STARTED to user ${JSON.stringify(user)} + PING token=${token}, one write`,
  );
  const sentAt = session.peer.lastFrameSentAt;
  const event = await session.nextEvent(`ERROR RATE_LIMITED or PONG token=${token}`);
  let accepted = true;
  if (event.kind === "pdu" && event.pdu.type === "ERROR") {
    if (event.pdu.code !== "RATE_LIMITED") {
      session.fail(
        `a TYPING was refused with ERROR ${event.pdu.code}; expected RATE_LIMITED or nothing`,
      );
    }
    accepted = false;
  } else {
    session.peer.unread(event);
  }
  const pong = await session.expectPdu("PONG", `PONG token=${token}`);
  if (pong.token !== token) session.fail(`PONG carried token ${pong.token}; expected ${token}`);
  return { accepted, sentAt, ackAt: session.peer.lastReceivedAt };
}

async function expectNotice(
  world: ParrotWorld,
  session: ClientSession,
  targetKind: TargetKindName,
  room: string,
  from: string,
  state: TypingStateName,
): Promise<void> {
  const { at } = await session.awaitPdu(
    "TYPING_NOTICE",
    (notice) =>
      notice.targetKind === targetKind &&
      notice.room === room &&
      notice.from === from &&
      notice.state === state,
    `TYPING_NOTICE ${state} from ${from} (${targetKind === "ROOM" ? `room ${JSON.stringify(room)}` : "to this user"})`,
  );
  if (state === "STARTED") {
    const target = targetKind === "ROOM" ? room : userOf(session);
    world.typing.arrived(indicatorKey(from, targetKind, target), session.name, at);
  }
}

async function expectExpiry(
  world: ParrotWorld,
  session: ClientSession,
  key: string,
  targetKind: TargetKindName,
  room: string,
  from: string,
): Promise<void> {
  const { earliest, latest } = expiryWindow(world.typing.get(key), session, world.parameters);
  world.requireWait(latest - world.now(), "waiting for a typing indicator to expire");
  const transcript = session.peer.transcript;
  const window =
    `the typing timeout is ${world.parameters.typingTimeoutMs} ms; with the spec's tolerance of ` +
    `${world.parameters.timeoutToleranceMs} ms and ${world.parameters.slackMs} ms of scheduling slack on the late side, ` +
    `the expiry had to come between +${transcript.elapsed(earliest).toFixed(0)} ms and ` +
    `+${transcript.elapsed(latest).toFixed(0)} ms on this connection's clock`;
  const { at } = await session.awaitPdu(
    "TYPING_NOTICE",
    (notice) =>
      notice.targetKind === targetKind &&
      notice.room === room &&
      notice.from === from &&
      notice.state === "STOPPED",
    `the expiry TYPING_NOTICE STOPPED from ${from}: ${window}`,
    Math.max(0, latest - world.now()),
  );
  world.typing.get(key).over = true;
  if (at < earliest) {
    session.fail(
      `the expiry TYPING_NOTICE STOPPED from ${from} came too early, at +${transcript.elapsed(at).toFixed(0)} ms: ${window}`,
    );
  }
}
