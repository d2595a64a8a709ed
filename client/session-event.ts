/**
 * What a ClientSession tells its user interface: the server's answers to this session's requests,
 * and what other users did. Replies carry what the request was about (a DIRECT_STATUS only has an
 * id; the event names the recipient), so a mode can print a line without keeping its own records.
 */
import type {
  DeliveryStatusName,
  DirectOutcomeName,
  HistoryStatusName,
  PresenceStatusName,
  RoomEventKindName,
  RoomStatusName,
  TargetKindName,
  TypingStateName,
  WhoStatusName,
} from "../generated/index.ts";

/** A version-3 message's server id and the time the server accepted it (spec §15.2). */
export interface ServerStamp {
  epoch: number;
  seq: number;
  /** Unix time in milliseconds (UTC), the server's clock at acceptance. */
  timeMs: number;
}

/** One stored message of a history page or a resume's replay. */
export interface HistoryMessage {
  stamp: ServerStamp;
  /** The sender's own message_id. */
  messageId: number;
  from: string;
  text: string;
}

export type SessionEvent =
  | { kind: "echo"; messageId: number; text: string }
  | {
      kind: "direct-message";
      messageId: number;
      from: string;
      text: string;
      /** Version 3: the server's id and time. */
      stamp?: ServerStamp;
      /** Version 3: stored while this user was away, delivered at login (spec §15.5). */
      stored?: boolean;
    }
  | {
      kind: "direct-status";
      messageId: number;
      to: string;
      /** STORED (version 3): kept for the recipient's next login, or the name has no account. */
      status: DeliveryStatusName | DirectOutcomeName;
      stamp?: ServerStamp;
    }
  | {
      kind: "room-result";
      /** What was answered; TYPING when a room TYPING was refused (request_id 0). */
      request: "ROOM_JOIN" | "ROOM_RESUME" | "ROOM_LEAVE" | "ROOM_SAY" | "TYPING";
      room: string;
      status: RoomStatusName;
    }
  | {
      kind: "room-message";
      messageId: number;
      room: string;
      from: string;
      text: string;
      /** Version 3: the server's id and time. */
      stamp?: ServerStamp;
    }
  /** Version 3, right after login: what the server keeps, and how many stored DMs follow. */
  | {
      kind: "session-info";
      maxPage: number;
      historyCount: number;
      historyAgeS: number;
      offlineQueue: number;
      storedCount: number;
      droppedCount: number;
    }
  /**
   * Version 3: a history page asked for (`purpose` "history"), or what a room's resume replayed
   * after a reconnect ("resume": the messages missed while away, every page of them, those
   * already shown left out). `gap`: what was missed cannot all be given (a new epoch, or older
   * than the server keeps), so the messages may not start where the client left off.
   */
  | {
      kind: "history";
      purpose: "history" | "resume";
      targetKind: TargetKindName;
      target: string;
      status: HistoryStatusName;
      gap: boolean;
      messages: HistoryMessage[];
    }
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
