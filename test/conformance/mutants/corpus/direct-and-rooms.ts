/** Planted faults: direct and rooms. See ../corpus.ts. */
import { type Mutant, OUTBOX, PARTICIPATION, p, ROOMS } from "./shared.ts";

export const DIRECT_AND_ROOMS: Mutant[] = [
  // --- version 2: direct messages (§12.5) ---
  {
    id: "dm-to-version-1-session",
    breaks: "REQ-12.11",
    fault: "a version 1 recipient counts as reachable: DELIVERED, and nothing arrives",
    patches: [
      p(
        "server/handlers/direct-send.ts",
        'if (recipient === undefined || !recipient.speaks("DIRECT_MESSAGE")) {',
        "if (recipient === undefined) {",
      ),
    ],
  },
  {
    id: "dm-from-recipient-name",
    breaks: "REQ-12.9",
    fault: "the relayed direct message names the recipient as its sender",
    patches: [
      p("server/handlers/direct-send.ts", "const from = session.me().user;", "const from = to;"),
    ],
  },
  {
    id: "dm-relayed-before-status",
    breaks: "REQ-12.7",
    fault: "the direct message is relayed before the sender's DIRECT_STATUS",
    patches: [
      p(
        "server/handlers/direct-send.ts",
        "    const draft = { messageId, from, text, acceptedAtMs: history.wallClock() };\n    return {",
        '    const draft = { messageId, from, text, acceptedAtMs: history.wallClock() };\n    recipient.deliver({ type: "DIRECT_MESSAGE", messageId, from, text });\n    return {',
      ),
      p(
        "server/handlers/direct-send.ts",
        "      fanOut: async () => {\n        const stored = await history.store.append(directConversation(from, to), draft);\n        return bus.publish(audience, directMessageV3(stored));\n      },",
        "      fanOut: () => {},",
      ),
    ],
  },
  {
    id: "dm-status-id-zero",
    breaks: "REQ-12.9",
    fault: "DIRECT_STATUS DELIVERED carries message id 0",
    patches: [
      p(
        "server/handlers/direct-send.ts",
        'const reply = { type: "DIRECT_STATUS", messageId, status: "DELIVERED" } as const;',
        'const reply = { type: "DIRECT_STATUS", messageId: 0, status: "DELIVERED" } as const;',
      ),
    ],
  },
  {
    id: "dm-to-self-not-delivered",
    breaks: "REQ-12.12",
    fault: "a direct message to oneself is NOT_DELIVERED",
    patches: [
      p(
        "server/handlers/direct-send.ts",
        "if (recipient === undefined || ",
        "if (recipient === undefined || recipient === session.me() || ",
      ),
    ],
  },
  // --- version 2: rooms (§12.6) ---
  {
    id: "joined-not-sent-to-joiner",
    breaks: "REQ-12.13",
    fault: "the joiner is not told of its own join",
    patches: [
      p(
        "server/handlers/room-join.ts",
        'fanOut: () => bus.publish({ kind: "roomMembers", room }, roomEvent(room, me.user, "JOINED")),',
        'fanOut: () =>\n        bus.publish(\n          { kind: "otherRoomMembers", room, exceptUser: me.user },\n          roomEvent(room, me.user, "JOINED"),\n        ),',
      ),
    ],
  },
  {
    id: "room-names-folded",
    breaks: "REQ-12.33",
    fault: "room names are folded to lower case on join",
    patches: [
      p(
        "server/handlers/room-join.ts",
        "rooms.join(me, room)",
        "rooms.join(me, room.toLowerCase())",
      ),
    ],
  },
  {
    id: "left-sent-to-leaver",
    breaks: "REQ-12.15",
    fault: "the leaver is told of its own leave too",
    patches: [
      p(
        "server/handlers/room-leave.ts",
        'fanOut: () => bus.publish({ kind: "roomMembers", room }, roomEvent(room, me.user, "LEFT")),',
        'fanOut: () => {\n        me.deliver(roomEvent(room, me.user, "LEFT"));\n        return bus.publish({ kind: "roomMembers", room }, roomEvent(room, me.user, "LEFT"));\n      },',
      ),
    ],
  },
  {
    id: "leave-tells-nobody",
    breaks: "REQ-12.15",
    fault: "a leave is not announced to the remaining members",
    patches: [
      p(
        "server/handlers/room-leave.ts",
        'fanOut: () => bus.publish({ kind: "roomMembers", room }, roomEvent(room, me.user, "LEFT")),',
        "fanOut: () => {},",
      ),
    ],
  },
  {
    id: "room-say-skips-sender",
    breaks: "REQ-12.16",
    fault: "a room message is not sent back to its sender",
    patches: [
      p(
        "server/history/room-messages.ts",
        'bus.publish({ kind: "roomMembers", room }, roomMessageV3(room, stored));',
        'bus.publish({ kind: "otherRoomMembers", room, exceptUser: stored.from }, roomMessageV3(room, stored));',
      ),
    ],
  },
  {
    id: "room-say-by-non-member-relayed",
    breaks: "REQ-12.17",
    fault: "anyone may say something in a room that exists",
    patches: [
      p(
        "server/handlers/room-say.ts",
        "    if (!member) {",
        "    if (!member && !(rooms.roomNames() as string[]).includes(room)) {",
      ),
    ],
  },
  {
    id: "not-member-id-zero",
    breaks: "REQ-12.17",
    fault: "the NOT_MEMBER answer to a ROOM_SAY carries request id 0",
    patches: [
      p(
        "server/handlers/room-say.ts",
        'reply: { type: "ROOM_RESULT", requestId: messageId, status: "NOT_MEMBER", room },',
        'reply: { type: "ROOM_RESULT", requestId: 0, status: "NOT_MEMBER", room },',
      ),
    ],
  },
  {
    id: "too-many-rooms-off-by-one",
    breaks: "REQ-12.14",
    fault: "one room more than the limit may be joined",
    patches: [
      p(
        ROOMS,
        '>= this.maxRoomsPerUser) return "TOO_MANY_ROOMS";',
        '> this.maxRoomsPerUser) return "TOO_MANY_ROOMS";',
      ),
    ],
  },
  {
    id: "room-full-off-by-one",
    breaks: "REQ-12.14",
    fault: "a room takes one member more than the limit",
    patches: [
      p(
        ROOMS,
        '>= this.maxMembersPerRoom) return "ROOM_FULL";',
        '> this.maxMembersPerRoom) return "ROOM_FULL";',
      ),
    ],
  },
  {
    id: "room-full-before-too-many-rooms",
    breaks: "REQ-12.14",
    fault: "ROOM_FULL is checked before TOO_MANY_ROOMS",
    patches: [
      p(
        ROOMS,
        '    if ((rooms?.size ?? 0) >= this.maxRoomsPerUser) return "TOO_MANY_ROOMS";\n    if ((members?.size ?? 0) >= this.maxMembersPerRoom) return "ROOM_FULL";',
        '    if ((members?.size ?? 0) >= this.maxMembersPerRoom) return "ROOM_FULL";\n    if ((rooms?.size ?? 0) >= this.maxRoomsPerUser) return "TOO_MANY_ROOMS";',
      ),
    ],
  },
  {
    id: "already-member-not-checked",
    breaks: "REQ-12.14",
    fault: "joining a room one is in is answered OK (and JOINED again)",
    patches: [p(ROOMS, '    if (members?.has(member)) return "ALREADY_MEMBER";\n', "")],
  },
  {
    id: "room-name-pattern-not-checked",
    breaks: "REQ-12.14",
    fault: "any name of 1 to 32 bytes is a room name",
    patches: [
      p(
        ROOMS,
        "return PATTERNS.roomName.test(room);",
        "return room.length > 0 && Buffer.byteLength(room) <= 32;",
      ),
    ],
  },
  {
    id: "empty-room-kept",
    breaks: "REQ-12.19",
    fault: "a room whose last member left still exists",
    patches: [p(ROOMS, "    if (members.size === 0) this.members.delete(room);\n", "")],
  },
  {
    id: "no-left-on-session-end",
    breaks: "REQ-12.18",
    fault: "a session that ends leaves its rooms without telling the other members",
    patches: [
      p(
        PARTICIPATION,
        '        for (const room of rooms) {\n          bus.publish({ kind: "roomMembers", room }, roomEvent(room, participant.user, "LEFT"));\n        }\n',
        "",
      ),
    ],
  },
  {
    id: "room-fan-out-reordered-under-backpressure",
    breaks: "REQ-12.8",
    fault:
      "a relayed PDU written while the member's socket is full is held back and sent after the next one",
    patches: [
      p(
        OUTBOX,
        "    this.channel.sendUnasked(frame);\n  }",
        "    const self = this as unknown as { held?: Uint8Array };\n    if (this.channel.writableNeedDrain && self.held === undefined) {\n      self.held = frame;\n      return;\n    }\n    this.channel.sendUnasked(frame);\n    if (self.held !== undefined) {\n      this.channel.sendUnasked(self.held);\n      self.held = undefined;\n    }\n  }",
      ),
    ],
  },
  {
    id: "room-fan-out-dropped-under-backpressure",
    breaks: "REQ-12.16",
    fault: "relayed PDUs are dropped while the member's socket is full",
    patches: [
      p(
        OUTBOX,
        "    this.channel.sendUnasked(frame);\n  }",
        "    if (this.backlogBytes === 0) this.channel.sendUnasked(frame);\n  }",
      ),
    ],
  },
  {
    id: "relayed-backlog-stops-reading",
    breaks: "REQ-12.41",
    fault:
      "relayed PDUs are written like answers, so a member whose socket is full of others' traffic stops being read",
    patches: [
      p(
        OUTBOX,
        "    this.channel.sendUnasked(frame);\n  }",
        "    this.channel.sendFrame(frame);\n  }",
      ),
    ],
  },
];
