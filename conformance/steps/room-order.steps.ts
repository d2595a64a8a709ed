/**
 * Room fan-out under concurrency (spec/README.md §12.4, §12.6): several members send at once, others join
 * and leave meanwhile, and every member must see each PDU of the room exactly once while it is a member,
 * in one order for all (REQ-12.8, REQ-12.16). support/room-history.ts does the judging.
 */
import { Then, When } from "@cucumber/cucumber";
import { encode } from "../../generated/index.ts";
import type { ClientSession } from "../support/client-session.ts";
import {
  collectRoomHistory,
  eventKey,
  type HistoryExpectation,
  judgeRoomHistories,
  messageKey,
  type RoomHistory,
  type RoomTraffic,
  sentKeys,
} from "../support/room-history.ts";
import { expectRoomResult, userOf } from "../support/room-membership.ts";
import type { ParrotWorld } from "../support/world.ts";

/** The request ids of the join and leave sent amid the messages, for their ROOM_RESULTs. */
const JOIN_AMID = 0x10_000;
const LEAVE_AMID = 0x10_001;
/** The message that closes the history, said once everything else has been seen. */
const MARKER_ID = 0xffff_ffff;

When(
  "{connections} each send {int} room messages to {string} in one write, at the same time",
  function (this: ParrotWorld, names: string[], count: number, room: string) {
    this.roomTraffic = sendAtOnce(
      names.map((name) => this.session(name)),
      count,
      room,
    );
  },
);

When(
  "{connections} each send {int} room messages to {string} in one write while {string} joins it and {string} leaves it",
  function (
    this: ParrotWorld,
    names: string[],
    count: number,
    room: string,
    joiner: string,
    leaver: string,
  ) {
    const senders = names.map((name) => this.session(name));
    const join = this.session(joiner);
    const leave = this.session(leaver);
    // The join and the leave go out between the senders' writes, so the server meets them amid the flow.
    const [first, ...rest] = senders;
    this.roomTraffic = { room, sent: new Map() };
    if (first) sendBatch(first, count, this.roomTraffic);
    join.peer.send({ type: "ROOM_JOIN", version: join.headerVersion, requestId: JOIN_AMID, room });
    leave.peer.send({
      type: "ROOM_LEAVE",
      version: leave.headerVersion,
      requestId: LEAVE_AMID,
      room,
    });
    for (const sender of rest) sendBatch(sender, count, this.roomTraffic);
  },
);

// Every member was in the room throughout: each must receive every message once, all in one order.
Then(
  "every member of {string} receives each of those messages exactly once, in one order for all",
  function (this: ParrotWorld, room: string) {
    return judgeWholeHistory(this, room, "REQ-15.7");
  },
);

// The same across a cluster's nodes, where the ids must follow that one order too (REQ-13.18).
Then(
  "every member of {string} receives each of those messages exactly once, in one order for all, with ids increasing along it",
  function (this: ParrotWorld, room: string) {
    return judgeWholeHistory(this, room, "REQ-13.18");
  },
);

async function judgeWholeHistory(world: ParrotWorld, room: string, idRequirement: string) {
  const traffic = requireTraffic(world, room);
  const expected = new Set(sentKeys(traffic));
  const members = world.rooms.members(room);
  const histories = await Promise.all(
    members.map((member) =>
      collectRoomHistory(member, traffic, (keys) => keys.length >= expected.size),
    ),
  );
  judgeRoomHistories(
    traffic,
    histories.map((history) => ({ history, expected })),
    idRequirement,
  );
}

// The members present throughout see everything; the joiner sees the room from its own JOINED on, the
// leaver up to its leave. A marker message, said once a full member has seen all the rest, ends the
// history of everyone still in the room.
Then(
  "the members of {string} see one history of it, {string} from its join on and {string} up to its leave",
  async function (this: ParrotWorld, room: string, joinerName: string, leaverName: string) {
    const traffic = requireTraffic(this, room);
    const joiner = this.session(joinerName);
    const leaver = this.session(leaverName);
    const joined = eventKey({ event: "JOINED", user: userOf(joiner) });
    const left = eventKey({ event: "LEFT", user: userOf(leaver) });
    const stayers = this.rooms.members(room).filter((member) => member !== leaver);
    const [reference] = stayers;
    if (!reference) throw new Error(`scenario bug: nobody stays in ${room}`);

    await expectRoomResult(joiner, JOIN_AMID, room, "OK");
    const leaverHistory = collectRoomHistory(
      leaver,
      traffic,
      () => false,
      (result) => result.requestId === LEAVE_AMID,
    );
    const everything = [...sentKeys(traffic), joined, left];
    const seenAll = (keys: readonly string[]) => everything.every((key) => keys.includes(key));
    const firstPart = await collectRoomHistory(reference, traffic, seenAll);

    const marker = messageKey(userOf(reference), MARKER_ID);
    traffic.sent.set(userOf(reference), [
      ...(traffic.sent.get(userOf(reference)) ?? []),
      { messageId: MARKER_ID, text: "the end" },
    ]);
    reference.peer.send({
      type: "ROOM_SAY",
      version: reference.headerVersion,
      messageId: MARKER_ID,
      room,
      text: "the end",
    });
    const untilMarker = (keys: readonly string[]) => keys.includes(marker);
    const [referenceRest, ...others] = await Promise.all([
      collectRoomHistory(reference, traffic, (keys) => untilMarker([...firstPart.keys, ...keys])),
      ...stayers.slice(1).map((member) => collectRoomHistory(member, traffic, untilMarker)),
      collectRoomHistory(joiner, traffic, untilMarker),
    ]);
    const referenceHistory: RoomHistory = {
      ...referenceRest!,
      keys: [...firstPart.keys, ...referenceRest!.keys],
      notes: [...firstPart.notes, ...referenceRest!.notes],
    };
    const joinerHistory = others.pop()!;
    const stayerHistories = [referenceHistory, ...others];

    // The reference's own history places the join and the leave; if it lacks them, the judge reports
    // that, and the joiner's and leaver's windows fall back to "everything".
    const all = new Set([...everything, marker]);
    const ref = referenceHistory.keys;
    const from = ref.indexOf(joined);
    const until = ref.indexOf(left);
    const expectations: HistoryExpectation[] = [
      ...stayerHistories
        .filter((history) => history.session !== joiner)
        .map((history) => ({ history, expected: all })),
      {
        history: joinerHistory,
        expected: new Set(from >= 0 ? ref.slice(from) : all),
      },
      {
        history: await leaverHistory,
        expected: new Set(until >= 0 ? ref.slice(0, until) : all),
      },
    ];
    judgeRoomHistories(traffic, expectations);
    this.rooms.record(room, [...stayers, joiner]);
  },
);

function requireTraffic(world: ParrotWorld, room: string): RoomTraffic {
  if (world.roomTraffic?.room !== room) {
    throw new Error(`scenario bug: no room messages were sent to ${room} in this scenario`);
  }
  return world.roomTraffic;
}

function sendAtOnce(senders: readonly ClientSession[], count: number, room: string): RoomTraffic {
  const traffic: RoomTraffic = { room, sent: new Map() };
  for (const sender of senders) sendBatch(sender, count, traffic);
  return traffic;
}

/** `count` ROOM_SAYs in one write, ids 0.., texts of varied lengths naming sender and number. */
function sendBatch(sender: ClientSession, count: number, traffic: RoomTraffic): void {
  const user = userOf(sender);
  const messages = Array.from({ length: count }, (_, messageId) => ({
    messageId,
    text: `${user} line ${messageId} ${"·".repeat(messageId % 13)}`,
  }));
  traffic.sent.set(user, messages);
  sender.peer.sendRaw(
    Buffer.concat(
      messages.map((message) =>
        encode({ type: "ROOM_SAY", version: sender.headerVersion, room: traffic.room, ...message }),
      ),
    ),
    `${count} ROOM_SAYs to ${JSON.stringify(traffic.room)}, ids 0..${count - 1}, one write`,
  );
}
