/**
 * What the server does with each version-2 request (spec §12.5-§12.8): the outcome, decided from
 * the server-wide registries, the reply to the requester, and the fan-out to other sessions,
 * which Session runs right after the reply (REQ-12.7). Session's `handleDirectSend`, `handleRoomJoin`,
 * ... call these with the requester's Participant; a variant overrides those methods.
 *
 * Room PDUs go out only through `RoomRegistry.broadcast`, so every member sees one order
 * (REQ-12.8) and a variant that swaps the registry changes room fan-out in one place.
 */
import type { PduOfType, RoomEventKindName } from "../generated/index.ts";
import { pageOf } from "./name-list.ts";
import { errorPdu, type OutgoingPdu } from "./outgoing-pdu.ts";
import { type Participant, speaks } from "./participant.ts";
import type { PresenceHub } from "./presence-hub.ts";
import type { RoomRegistry } from "./room-registry.ts";
import type { HandlerResult } from "./session.ts";
import type { SessionDirectory } from "./session-directory.ts";
import type { TypingTracker } from "./typing-tracker.ts";

/** The shared state version-2 requests read and change (a SessionContext has them all). */
export interface Registries {
  directory: SessionDirectory;
  rooms: RoomRegistry;
  presence: PresenceHub;
  typing: TypingTracker;
}

export function roomEvent(room: string, user: string, event: RoomEventKindName): OutgoingPdu {
  return { type: "ROOM_EVENT", room, user, event };
}

/**
 * REQ-12.9..12.12: delivered only to a version-2 session holding that login; offline, version 1
 * only and no such account are answered alike (spec §12.5).
 */
export function directSend(
  me: Participant,
  pdu: PduOfType<"DIRECT_SEND">,
  { directory }: Registries,
): HandlerResult {
  const { messageId, to, text } = pdu;
  const recipient = directory.find(to);
  if (recipient === undefined || !speaks(recipient, "DIRECT_MESSAGE")) {
    return {
      outcome: "NOT_DELIVERED",
      reply: { type: "DIRECT_STATUS", messageId, status: "NOT_DELIVERED" },
    };
  }
  return {
    outcome: "DELIVERED",
    reply: { type: "DIRECT_STATUS", messageId, status: "DELIVERED" },
    fanOut: () => recipient.deliver({ type: "DIRECT_MESSAGE", messageId, from: me.user, text }),
  };
}

/** REQ-12.13, REQ-12.14: OK, then JOINED to every member, the joiner included. */
export function roomJoin(
  me: Participant,
  pdu: PduOfType<"ROOM_JOIN">,
  { rooms }: Registries,
): HandlerResult {
  const { requestId, room } = pdu;
  const status = rooms.join(me, room);
  const reply: OutgoingPdu = { type: "ROOM_RESULT", requestId, status, room };
  if (status !== "OK") return { outcome: status, reply };
  return {
    outcome: "OK",
    reply,
    fanOut: () => rooms.broadcast(room, roomEvent(room, me.user, "JOINED")),
  };
}

/** REQ-12.15: OK, then LEFT to the remaining members. */
export function roomLeave(
  me: Participant,
  pdu: PduOfType<"ROOM_LEAVE">,
  { rooms }: Registries,
): HandlerResult {
  const { requestId, room } = pdu;
  const status = rooms.leave(me, room);
  const reply: OutgoingPdu = { type: "ROOM_RESULT", requestId, status, room };
  if (status !== "OK") return { outcome: status, reply };
  return {
    outcome: "OK",
    reply,
    fanOut: () => rooms.broadcast(room, roomEvent(room, me.user, "LEFT")),
  };
}

/** REQ-12.16, REQ-12.17: no reply; one ROOM_MESSAGE to every member, the sender included. */
export function roomSay(
  me: Participant,
  pdu: PduOfType<"ROOM_SAY">,
  { rooms }: Registries,
): HandlerResult {
  const { messageId, room, text } = pdu;
  if (!rooms.isMember(me, room)) {
    return {
      outcome: "NOT_MEMBER",
      reply: { type: "ROOM_RESULT", requestId: messageId, status: "NOT_MEMBER", room },
    };
  }
  return {
    outcome: "OK",
    fanOut: () =>
      rooms.broadcast(room, { type: "ROOM_MESSAGE", messageId, room, from: me.user, text }),
  };
}

/** REQ-12.19. */
export function roomList(
  pdu: PduOfType<"ROOM_LIST_REQUEST">,
  { rooms }: Registries,
): HandlerResult {
  const { total, names } = pageOf(rooms.roomNames(), pdu.offset);
  return {
    outcome: "OK",
    reply: { type: "ROOM_LIST", requestId: pdu.requestId, total, rooms: names },
  };
}

/** REQ-12.20, REQ-12.21: everyone online (version 1 too) for an empty room, else its members. */
export function whoList(
  pdu: PduOfType<"WHO_REQUEST">,
  { directory, rooms }: Registries,
): HandlerResult {
  const { requestId, room, offset } = pdu;
  const listed = room === "" ? directory.names() : rooms.memberNames(room);
  if (listed === undefined) {
    return {
      outcome: "NO_SUCH_ROOM",
      reply: { type: "WHO_LIST", requestId, status: "NO_SUCH_ROOM", room, total: 0, names: [] },
    };
  }
  const { total, names } = pageOf(listed, offset);
  return {
    outcome: "OK",
    reply: { type: "WHO_LIST", requestId, status: "OK", room, total, names },
  };
}

/**
 * REQ-12.22..12.28: the rate limit first (a TYPING that passes it counts as accepted, whatever
 * comes next), then membership of a target room, then the relay.
 */
export function typingRelay(
  me: Participant,
  pdu: PduOfType<"TYPING">,
  { typing: tracker, rooms }: Registries,
): HandlerResult {
  const { targetKind, target, state } = pdu;
  if (!tracker.admit(me)) {
    return {
      outcome: "RATE_LIMITED",
      reply: errorPdu(
        "RATE_LIMITED",
        `TYPING less than ${tracker.minIntervalMs} ms after the previous one; dropped`,
      ),
    };
  }
  if (targetKind === "ROOM" && !rooms.isMember(me, target)) {
    return {
      outcome: "NOT_MEMBER",
      reply: { type: "ROOM_RESULT", requestId: 0, status: "NOT_MEMBER", room: target },
    };
  }
  return { outcome: "OK", fanOut: () => tracker.relay(me, targetKind, target, state) };
}

/** REQ-12.31, REQ-12.32: no reply. */
export function presenceSubscribe(
  me: Participant,
  pdu: PduOfType<"PRESENCE_SUBSCRIBE">,
  { presence }: Registries,
): HandlerResult {
  presence.setSubscribed(me, pdu.enabled === "ON");
  return { outcome: "OK" };
}
