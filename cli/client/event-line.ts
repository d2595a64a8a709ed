/**
 * The output format: each SessionEvent as one line, the same in both modes (scripted mode prints
 * them on stdout for scripts to parse, interactive mode above the prompt). README.md "Output lines"
 * documents every format; change one only together with that table, since scripts depend on them.
 *
 *   text                          your echo (interactive mode adds "echo: ")
 *   [dm from user2] text          a direct message
 *   [dm to user2] delivered       the answer to your /msg (or "not delivered")
 *   [#room user1] text            a room message, yours included
 *   [#room] joined                the answer to your /join, /leave, or a refusal ("not a member")
 *   * user3 joined #room          someone joined or left a room you are in
 *   * user2 is typing in #room    typing indicators (see typing-board.ts for when they print)
 *   * user2 is online             presence, after /presence on
 *   rooms: a, b                   /rooms, names without "#" ("rooms: (none)" when there are none)
 *   who: a, b                     /who; "who #room: a, b" for a room
 *
 * Version 3 (spec §15) adds, in the same formats, lines that carry the server's time:
 *
 *   [dm to user2] stored                         your /msg was stored for user2's next login
 *   * 1 direct message(s) came while you were away   at login, before them
 *   (stored 2026-12-01T21:59:41.008Z) [dm from user1] call me
 *   * 1 message(s) missed in #room while you were away   after a reconnect, before them
 *   (replayed 2026-12-01T21:59:30.900Z) [#room user1] still there?
 *   * gap in #room: some messages from while you were away are gone
 *   * history of #room: 2 message(s)                /history, before them
 *   (history 2026-12-01T21:58:07.250Z) [#room user1] hello all
 *
 * Scripted mode writes times as ISO 8601 UTC; interactive mode as local hh:mm:ss, and puts the
 * time of live version-3 messages in front of them too ("21:58:07 [#room user1] hello all").
 *
 * Names and texts come from other users: control characters are shown as \xHH escapes so nobody
 * can split a line or drive the reader's terminal with escape sequences.
 */

import type { SessionEvent } from "../../client/session-event.ts";
import type { RoomStatusName } from "../../generated/index.ts";
import type { Typist } from "./typing-board.ts";

/** Marks a list that is empty: "(" cannot occur in a room name, so it cannot be mistaken for one. */
export const EMPTY_LIST = "(none)";
/** Appended when the client stopped paging a list before the server's total. */
export const TRUNCATED_LIST = "...";

const ROOM_STATUS_WORDS: Readonly<Record<RoomStatusName, string>> = {
  OK: "ok",
  NOT_MEMBER: "not a member",
  ALREADY_MEMBER: "already a member",
  TOO_MANY_ROOMS: "in too many rooms",
  ROOM_FULL: "room full",
  BAD_ROOM_NAME: "bad room name",
};

/** How times are written: scripted mode's ISO 8601 by default. */
export interface TimeStyle {
  time(unixMs: number): string;
  /** Whether live messages (not only stored, replayed or history ones) show their time. */
  onLiveMessages: boolean;
}

export const ISO_TIMES: TimeStyle = {
  time: (unixMs) => new Date(unixMs).toISOString(),
  onLiveMessages: false,
};

/** The lines of one event: one for most, none or several for some of version 3. */
export function eventLines(event: SessionEvent, style: TimeStyle = ISO_TIMES): string[] {
  switch (event.kind) {
    case "session-info":
      return sessionInfoLines(event);
    case "history":
      return historyLines(event, style);
    case "direct-message":
      if (event.stored === true && event.stamp !== undefined) {
        return [`(stored ${style.time(event.stamp.timeMs)}) ${eventLine(event)}`];
      }
      return [liveTime(event.stamp?.timeMs, style) + eventLine(event)];
    case "room-message":
      return [liveTime(event.stamp?.timeMs, style) + eventLine(event)];
    default:
      return [eventLine(event)];
  }
}

/** One event as one line, times left out (eventLines has them). */
export function eventLine(event: SessionEvent): string {
  switch (event.kind) {
    case "echo":
      return shown(event.text);
    case "direct-message":
      return `[dm from ${shown(event.from)}] ${shown(event.text)}`;
    case "direct-status":
      return `[dm to ${shown(event.to)}] ${DIRECT_STATUS_WORDS[event.status]}`;
    case "room-result":
      return `[${room(event.room)}] ${roomResultWords(event)}`;
    case "room-message":
      return `[${room(event.room)} ${shown(event.from)}] ${shown(event.text)}`;
    case "room-event":
      return `* ${shown(event.user)} ${event.event === "JOINED" ? "joined" : "left"} ${room(event.room)}`;
    case "room-list":
      return `rooms: ${list(event.rooms.map(shown), event.complete)}`;
    case "who-list":
      if (event.status === "NO_SUCH_ROOM") return `[${room(event.room)}] no such room`;
      return `who${event.room === "" ? "" : ` ${room(event.room)}`}: ${list(event.names.map(shown), event.complete)}`;
    case "typing":
      return typingLine(event.from, event.room, event.state === "STARTED");
    case "presence":
      return `* ${shown(event.user)} is ${event.status === "ONLINE" ? "online" : "offline"}`;
    case "session-info":
    case "history":
      return eventLines(event).join("\n");
  }
}

const DIRECT_STATUS_WORDS: Readonly<
  Record<Extract<SessionEvent, { kind: "direct-status" }>["status"], string>
> = { DELIVERED: "delivered", NOT_DELIVERED: "not delivered", STORED: "stored" };

function liveTime(unixMs: number | undefined, style: TimeStyle): string {
  return unixMs === undefined || !style.onLiveMessages ? "" : `${style.time(unixMs)} `;
}

function sessionInfoLines(event: Extract<SessionEvent, { kind: "session-info" }>): string[] {
  const lines: string[] = [];
  if (event.droppedCount > 0) {
    lines.push(
      `* ${event.droppedCount} older direct message(s) to you were not kept: ` +
        `the server stores at most ${event.offlineQueue}`,
    );
  }
  if (event.storedCount > 0) {
    lines.push(`* ${event.storedCount} direct message(s) came while you were away`);
  }
  return lines;
}

function historyLines(event: Extract<SessionEvent, { kind: "history" }>, style: TimeStyle) {
  const where = event.targetKind === "ROOM" ? room(event.target) : `dm with ${shown(event.target)}`;
  if (event.status === "NOT_MEMBER") return [`[${where}] not a member`];
  const lines: string[] = [];
  const mark = event.purpose === "resume" ? "replayed" : "history";
  if (event.purpose === "resume") {
    if (event.gap) lines.push(`* gap in ${where}: some messages from while you were away are gone`);
    lines.push(`* ${event.messages.length} message(s) missed in ${where} while you were away`);
  } else {
    const gap = event.gap ? ", after a gap" : "";
    lines.push(`* history of ${where}: ${event.messages.length} message(s)${gap}`);
  }
  for (const message of event.messages) {
    const who =
      event.targetKind === "ROOM"
        ? `${where} ${shown(message.from)}`
        : `dm from ${shown(message.from)}`;
    lines.push(`(${mark} ${style.time(message.stamp.timeMs)}) [${who}] ${shown(message.text)}`);
  }
  return lines;
}

/** "* user2 is typing in #room", "* user2 stopped typing": also what the typing board prints. */
export function typingLine(from: string, inRoom: string, typing: boolean): string {
  const where = inRoom === "" ? "" : ` in ${room(inRoom)}`;
  return `* ${shown(from)} ${typing ? "is typing" : "stopped typing"}${where}`;
}

/** The interactive status line for who is typing: "user2 is typing…", "user2, user3 in #a are typing…". */
export function typingStatus(typists: readonly Typist[]): string | undefined {
  if (typists.length === 0) return undefined;
  const who = typists.map((typist) =>
    typist.room === "" ? shown(typist.from) : `${shown(typist.from)} in ${room(typist.room)}`,
  );
  return `${who.join(", ")} ${typists.length === 1 ? "is" : "are"} typing…`;
}

function roomResultWords(event: Extract<SessionEvent, { kind: "room-result" }>): string {
  if (event.status !== "OK") return ROOM_STATUS_WORDS[event.status];
  // A resume is a join that also replays (spec §15.4): to the user, joined.
  if (event.request === "ROOM_JOIN" || event.request === "ROOM_RESUME") return "joined";
  if (event.request === "ROOM_LEAVE") return "left";
  // The spec answers a ROOM_SAY with its ROOM_MESSAGE, never OK; say plainly what came.
  return ROOM_STATUS_WORDS.OK;
}

function list(names: string[], complete: boolean): string {
  const text = names.length === 0 ? EMPTY_LIST : names.join(", ");
  return complete ? text : `${text}, ${TRUNCATED_LIST}`;
}

function room(name: string): string {
  return `#${shown(name)}`;
}

/** The text with C0/C1 control characters and DEL (tab excepted) as \xHH. */
export function shown(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is escaped.
  return text.replace(/[\x00-\x08\x0a-\x1f\x7f-\x9f]/g, (character) => {
    return `\\x${character.charCodeAt(0).toString(16).padStart(2, "0")}`;
  });
}
