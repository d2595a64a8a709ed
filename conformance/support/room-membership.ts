/**
 * Putting sessions in rooms for a scenario's setup, and reading the room PDUs that follows (spec/README.md
 * §12.6). Joins go one at a time and every PDU each join causes is read before the next: the joiner's
 * ROOM_RESULT OK and then its own JOINED (REQ-12.13, REQ-12.7), and one JOINED at every earlier member.
 * So a scenario starts from a membership it knows, with nothing left unread, and a server that gets
 * joins wrong fails right there.
 */
import type { RoomEventKindName, RoomStatusName } from "../../generated/index.ts";
import type { ClientSession } from "./client-session.ts";
import { blame } from "./conformance-failure.ts";

/** The members of each room a scenario has set up, as connections, in join order. */
export class RoomMembership {
  private readonly rooms = new Map<string, ClientSession[]>();

  members(room: string): readonly ClientSession[] {
    return this.rooms.get(room) ?? [];
  }

  /** The rooms `session` is in, as far as the scenario knows. */
  roomsOf(session: ClientSession): string[] {
    return [...this.rooms].filter(([, members]) => members.includes(session)).map(([room]) => room);
  }

  /**
   * Each session joins `room` in turn; see the file comment for what is read and judged. A failure is
   * pinned on REQ-12.13, whatever the scenario that needed the room was about.
   */
  join(room: string, joiners: readonly ClientSession[]): Promise<void> {
    return blame("REQ-12.13", () => this.joinInTurn(room, joiners));
  }

  /** The session leaves `room`: ROOM_RESULT OK, and LEFT at every remaining member (REQ-12.15). */
  leave(room: string, leaver: ClientSession): Promise<void> {
    return blame("REQ-12.15", () => this.leaveNow(room, leaver));
  }

  private async joinInTurn(room: string, joiners: readonly ClientSession[]): Promise<void> {
    for (const joiner of joiners) {
      const members = [...this.members(room)];
      if (members.includes(joiner)) continue;
      const requestId = joiner.takeRequestId();
      joiner.peer.send({ type: "ROOM_JOIN", version: joiner.headerVersion, requestId, room });
      await expectJoined(joiner, requestId, room);
      this.rooms.set(room, [...members, joiner]);
      await Promise.all(
        members.map((member) => expectRoomEvent(member, room, userOf(joiner), "JOINED")),
      );
    }
  }

  private async leaveNow(room: string, leaver: ClientSession): Promise<void> {
    const requestId = leaver.takeRequestId();
    leaver.peer.send({ type: "ROOM_LEAVE", version: leaver.headerVersion, requestId, room });
    await expectRoomResult(leaver, requestId, room, "OK");
    const remaining = this.members(room).filter((member) => member !== leaver);
    this.rooms.set(room, remaining);
    await Promise.all(
      remaining.map((member) => expectRoomEvent(member, room, userOf(leaver), "LEFT")),
    );
  }

  /** Records a change a scenario made and judged itself. */
  record(room: string, members: readonly ClientSession[]): void {
    this.rooms.set(room, [...members]);
  }
}

/** ROOM_RESULT OK for the join, then the joiner's own JOINED after it on the same connection. */
export async function expectJoined(
  joiner: ClientSession,
  requestId: number,
  room: string,
): Promise<void> {
  const result = await expectRoomResult(joiner, requestId, room, "OK");
  const joined = await expectRoomEvent(joiner, room, userOf(joiner), "JOINED");
  if (joined.seq < result.seq) {
    joiner.fail(
      `ROOM_EVENT JOINED for ${userOf(joiner)} in ${room} arrived before the ROOM_RESULT of the join; ` +
        "the reply must come before the transition's fan-out (REQ-12.7)",
      [],
      "REQ-12.7",
    );
  }
}

/** The ROOM_RESULT answering request `requestId`, wherever it is among unread PDUs, with its status. */
export async function expectRoomResult(
  session: ClientSession,
  requestId: number,
  room: string,
  status: RoomStatusName,
): Promise<{ seq: number }> {
  const { pdu, seq } = await session.awaitPdu(
    "ROOM_RESULT",
    (result) => result.requestId === requestId,
    `ROOM_RESULT ${status} for request ${requestId} (${JSON.stringify(room)})`,
  );
  if (pdu.status !== status || pdu.room !== room) {
    session.fail(
      `expected ROOM_RESULT ${status} for ${JSON.stringify(room)} (request ${requestId}), got ` +
        `${pdu.status} for ${JSON.stringify(pdu.room)}`,
    );
  }
  return { seq };
}

/** One ROOM_EVENT about `user` in `room`, wherever it is among unread PDUs. */
export async function expectRoomEvent(
  session: ClientSession,
  room: string,
  user: string,
  event: RoomEventKindName,
  timeoutMs?: number,
): Promise<{ seq: number; at: number }> {
  const { seq, at } = await session.awaitPdu(
    "ROOM_EVENT",
    (pdu) => pdu.room === room && pdu.user === user && pdu.event === event,
    `ROOM_EVENT ${event} for ${user} in ${JSON.stringify(room)}`,
    timeoutMs,
  );
  return { seq, at };
}

export function userOf(session: ClientSession): string {
  if (session.user === undefined) {
    throw new Error(`scenario bug: connection "${session.name}" is not logged in`);
  }
  return session.user;
}
