/**
 * What a ClientSession tells its user interface: the server's answers to this session's requests,
 * and what other users did. Replies carry what the request was about (a DIRECT_STATUS only has an
 * id; the event names the recipient), so a mode can print a line without keeping its own records.
 */
import type {
  DeliveryStatusName,
  PresenceStatusName,
  RoomEventKindName,
  RoomStatusName,
  TargetKindName,
  TypingStateName,
  WhoStatusName,
} from "../generated/index.ts";

export type SessionEvent =
  | { kind: "echo"; messageId: number; text: string }
  | { kind: "direct-message"; messageId: number; from: string; text: string }
  | { kind: "direct-status"; messageId: number; to: string; status: DeliveryStatusName }
  | {
      kind: "room-result";
      /** What was answered; TYPING when a room TYPING was refused (request_id 0). */
      request: "ROOM_JOIN" | "ROOM_LEAVE" | "ROOM_SAY" | "TYPING";
      room: string;
      status: RoomStatusName;
    }
  | { kind: "room-message"; messageId: number; room: string; from: string; text: string }
  | { kind: "room-event"; room: string; user: string; event: RoomEventKindName }
  /** Every page of the answer, joined; `complete` false when the client stopped paging early. */
  | { kind: "room-list"; rooms: string[]; complete: boolean }
  | {
      kind: "who-list";
      /** "" for everyone online. */
      room: string;
      status: WhoStatusName;
      names: string[];
      complete: boolean;
    }
  | {
      kind: "typing";
      targetKind: TargetKindName;
      /** The room for target kind ROOM, "" for USER. */
      room: string;
      from: string;
      state: TypingStateName;
    }
  | { kind: "presence"; user: string; status: PresenceStatusName };
