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

export function eventLine(event: SessionEvent): string {
  switch (event.kind) {
    case "echo":
      return shown(event.text);
    case "direct-message":
      return `[dm from ${shown(event.from)}] ${shown(event.text)}`;
    case "direct-status":
      return `[dm to ${shown(event.to)}] ${event.status === "DELIVERED" ? "delivered" : "not delivered"}`;
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
  }
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
  if (event.request === "ROOM_JOIN") return "joined";
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
