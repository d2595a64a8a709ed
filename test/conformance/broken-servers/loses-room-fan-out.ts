/**
 * Broken on purpose: loses room messages. On every other ROOM_MESSAGE the server fans out to a room of
 * three or more members, one member other than the sender never gets it (REQ-12.16 broken, and with it
 * the one history every member must share, REQ-12.8). Rooms of one or two, every ROOM_EVENT and every
 * typing notice are untouched; everything else is the reference.
 */
import type { OutgoingPdu } from "../../../server/outgoing-pdu.ts";
import { type BroadcastOptions, RoomRegistry } from "../../../server/room-registry.ts";
import { startVariant } from "./start-variant.ts";

class LossyRooms extends RoomRegistry {
  private roomMessages = 0;

  override broadcast(room: string, pdu: OutgoingPdu, options: BroadcastOptions = {}): number {
    // A room message is published in its version-3 form on a server that offers version 3.
    if (pdu.type !== "ROOM_MESSAGE" && pdu.type !== "ROOM_MESSAGE_V3") {
      return super.broadcast(room, pdu, options);
    }
    this.roomMessages++;
    const others = (this.memberNames(room) ?? []).filter((user) => user !== pdu.from);
    const skipped = others.at(-1);
    if (this.roomMessages % 2 === 1 || others.length < 2 || skipped === undefined) {
      return super.broadcast(room, pdu, options);
    }
    // RoomRegistry delivers to everyone but `exceptUser`: the skipped member is left out that way.
    return super.broadcast(room, pdu, { ...options, exceptUser: skipped });
  }
}

await startVariant("loses-room-fan-out", () => ({ rooms: new LossyRooms() }));
