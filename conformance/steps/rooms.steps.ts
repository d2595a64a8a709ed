/**
 * Rooms (spec/README.md §12.6): join, leave, say; the JOINED and LEFT events members get; the statuses
 * and limits of refused requests; leaving every room when a session ends.
 */
import { Given, Then, When } from "@cucumber/cucumber";
import { LIMITS, type RoomEventKindName, type RoomStatusName } from "../../generated/index.ts";
import type { ClientSession } from "../support/client-session.ts";
import { blame } from "../support/conformance-failure.ts";
import { expectJoined, expectRoomEvent, expectRoomResult } from "../support/room-membership.ts";
import { sampleText } from "../support/sample-texts.ts";
import { sessionEndDeadline } from "../support/session-end.ts";
import { Unsupported } from "../support/unsupported.ts";
import type { ParrotWorld } from "../support/world.ts";

Given(
  "{connections} are in the room {string}",
  async function (this: ParrotWorld, names: string[], room: string) {
    await this.rooms.join(
      room,
      names.map((name) => this.session(name)),
    );
  },
);

Given(
  "{string} is in the room {string}",
  async function (this: ParrotWorld, name: string, room: string) {
    await this.rooms.join(room, [this.session(name)]);
  },
);

Given(
  "the load sessions are in the room {string}",
  async function (this: ParrotWorld, room: string) {
    await this.rooms.join(room, this.crowd);
  },
);

// limits.maxRoomsPerUser rooms named PREFIX-01, PREFIX-02, ...
Given(
  "{string} is in as many rooms as the spec allows, named {string} and a number",
  async function (this: ParrotWorld, name: string, prefix: string) {
    const session = this.session(name);
    for (const room of numberedRooms(prefix, LIMITS.maxRoomsPerUser)) {
      await this.rooms.join(room, [session]);
    }
  },
);

// REQ-12.14 ROOM_FULL: as many members as limits.maxMembersPerRoom, all load sessions.
Given(
  "as many load sessions as a room may have members are in the room {string}",
  async function (this: ParrotWorld, room: string) {
    const count = LIMITS.maxMembersPerRoom;
    if (this.loadAccounts.length < count) {
      throw new Unsupported(
        `filling a room needs ${count} load accounts (limits.maxMembersPerRoom); ` +
          `${this.parameters.accountsFile} has ${this.loadAccounts.length}`,
      );
    }
    await this.rooms.join(room, await this.logInLoadSessions(count));
  },
);

Given("{int} load sessions are logged in", async function (this: ParrotWorld, count: number) {
  if (this.loadAccounts.length < count) {
    throw new Unsupported(
      `this scenario needs ${count} load accounts; ${this.parameters.accountsFile} has ${this.loadAccounts.length}`,
    );
  }
  await this.logInLoadSessions(count);
});

// Each load session fills itself up with rooms of its own: PREFIX-<session>-<n>.
Given(
  "{int} load sessions are each in as many rooms as the spec allows, named {string} and numbers",
  async function (this: ParrotWorld, count: number, prefix: string) {
    if (this.loadAccounts.length < count) {
      throw new Unsupported(
        `this scenario needs ${count} load accounts; ${this.parameters.accountsFile} has ${this.loadAccounts.length}`,
      );
    }
    const crowd = await this.logInLoadSessions(count);
    await Promise.all(
      crowd.map(async (session, i) => {
        const own = `${prefix}-${String(i + 1).padStart(2, "0")}`;
        for (const room of numberedRooms(own, LIMITS.maxRoomsPerUser)) {
          await this.rooms.join(room, [session]);
        }
      }),
    );
  },
);

When(
  "{string} joins the room {string}",
  async function (this: ParrotWorld, name: string, room: string) {
    await this.rooms.join(room, [this.session(name)]);
  },
);

When(
  "{string} leaves the room {string}",
  async function (this: ParrotWorld, name: string, room: string) {
    await this.rooms.leave(room, this.session(name));
  },
);

When(
  "{string} sends ROOM_JOIN {int} for {string}",
  function (this: ParrotWorld, name: string, requestId: number, room: string) {
    const session = this.session(name);
    session.peer.send({ type: "ROOM_JOIN", version: session.headerVersion, requestId, room });
  },
);

When(
  "{string} sends ROOM_LEAVE {int} for {string}",
  function (this: ParrotWorld, name: string, requestId: number, room: string) {
    const session = this.session(name);
    session.peer.send({ type: "ROOM_LEAVE", version: session.headerVersion, requestId, room });
  },
);

When(
  "{string} sends ROOM_JOIN {int} for a room name of {int} bytes, unchecked",
  function (this: ParrotWorld, name: string, requestId: number, length: number) {
    const session = this.session(name);
    session.peer.sendUnchecked({
      type: "ROOM_JOIN",
      version: session.headerVersion,
      requestId,
      room: "r".repeat(length),
    });
  },
);

When(
  "{string} says message {int} in {string} with the {sample} text",
  function (this: ParrotWorld, name: string, messageId: number, room: string, kind: string) {
    const session = this.session(name);
    session.peer.send({
      type: "ROOM_SAY",
      version: session.headerVersion,
      messageId,
      room,
      text: sampleText(kind),
    });
  },
);

When(
  "{string} says message {int} in {string} with the {sample} text, unchecked",
  function (this: ParrotWorld, name: string, messageId: number, room: string, kind: string) {
    const session = this.session(name);
    session.peer.sendUnchecked({
      type: "ROOM_SAY",
      version: session.headerVersion,
      messageId,
      room,
      text: sampleText(kind),
    });
  },
);

Then(
  "{string} receives ROOM_RESULT {int} {word} for {string}",
  async function (
    this: ParrotWorld,
    name: string,
    requestId: number,
    status: string,
    room: string,
  ) {
    await expectRoomResult(this.session(name), requestId, room, status as RoomStatusName);
  },
);

// REQ-12.13 and REQ-12.7: the reply first, then the joiner's own JOINED.
Then(
  "{string} receives ROOM_RESULT {int} OK for {string} and then its own ROOM_EVENT JOINED",
  async function (this: ParrotWorld, name: string, requestId: number, room: string) {
    const session = this.session(name);
    await expectJoined(session, requestId, room);
    const members = this.rooms.members(room);
    if (!members.includes(session)) this.rooms.record(room, [...members, session]);
  },
);

async function receiveRoomEvent(
  this: ParrotWorld,
  names: string | string[],
  event: string,
  user: string,
  room: string,
): Promise<void> {
  await Promise.all(
    [names]
      .flat()
      .map((name) => expectRoomEvent(this.session(name), room, user, event as RoomEventKindName)),
  );
}
Then("{string} receives ROOM_EVENT {word} for {string} in {string}", receiveRoomEvent);
Then("{connections} each receive ROOM_EVENT {word} for {string} in {string}", receiveRoomEvent);

// REQ-12.18: the LEFT must come at the latest when the login is freed (see support/session-end.ts).
async function receiveLeftOnEnd(
  this: ParrotWorld,
  names: string | string[],
  user: string,
  room: string,
  endedName: string,
): Promise<void> {
  const deadline = sessionEndDeadline(this.session(endedName), this.parameters);
  this.requireWait(deadline - this.now(), "waiting for the server to notice a closed connection");
  // Pinned on REQ-12.18 also where a scenario about something else needs the LEFT to go on.
  await blame("REQ-12.18", async () => {
    await Promise.all(
      [names]
        .flat()
        .map((name) =>
          expectRoomEvent(
            this.session(name),
            room,
            user,
            "LEFT",
            Math.max(0, deadline - this.now()),
          ),
        ),
    );
  });
}
Then(
  "{string} receives ROOM_EVENT LEFT for {string} in {string} once the session of {string} has ended",
  receiveLeftOnEnd,
);
Then(
  "{connections} each receive ROOM_EVENT LEFT for {string} in {string} once the session of {string} has ended",
  receiveLeftOnEnd,
);

// REQ-12.16: one ROOM_MESSAGE per member, the sender included: same id, room, sender, text.
async function receiveRoomMessage(
  this: ParrotWorld,
  names: string | string[],
  messageId: number,
  room: string,
  from: string,
  kind: string,
): Promise<void> {
  const text = sampleText(kind);
  await Promise.all(
    [names]
      .flat()
      .map((name) => expectRoomMessage(this.session(name), messageId, room, from, text)),
  );
}
Then(
  "{string} receives room message {int} in {string} from {string} with the {sample} text",
  receiveRoomMessage,
);
Then(
  "{connections} each receive room message {int} in {string} from {string} with the {sample} text",
  receiveRoomMessage,
);

async function expectRoomMessage(
  session: ClientSession,
  messageId: number,
  room: string,
  from: string,
  text: string,
): Promise<void> {
  const { pdu } = await session.awaitPdu(
    "ROOM_MESSAGE",
    (message) => message.messageId === messageId && message.from === from && message.room === room,
    `ROOM_MESSAGE ${messageId} from ${from} in ${JSON.stringify(room)}`,
  );
  if (pdu.text !== text) {
    session.fail(
      `ROOM_MESSAGE ${messageId} from ${from}: text differs: sent ${JSON.stringify(text)} ` +
        `(${Buffer.byteLength(text)} bytes), got ${JSON.stringify(pdu.text)} (${Buffer.byteLength(pdu.text)} bytes)`,
    );
  }
}

function numberedRooms(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${String(i + 1).padStart(2, "0")}`);
}
