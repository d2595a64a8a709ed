/**
 * The page's message log: one list item per thing that happened, in the terminal client's words
 * (cli/client/event-line.ts), built with text nodes only, so what other users write is always text,
 * never HTML.
 *
 * Version 3 (spec §15) adds to each room and direct message the server's time, as a <time> element
 * in the reader's time zone; marks the messages a resume replayed after a reconnect ("missed") and
 * those of a history page ("earlier"), under a line saying how many there are; and shows a gap (a
 * resume or page the server could not fill, REQ-15.17) as a notice that messages may be missing.
 */
import { eventLine, eventLines } from "../../cli/client/event-line.ts";
import type { HistoryMessage, ServerStamp, SessionEvent } from "../../client/session-event.ts";

type HistoryEvent = Extract<SessionEvent, { kind: "history" }>;

export class MessageLog {
  constructor(private readonly list: HTMLOListElement) {}

  /** The page's own words (logged in, a refused command, a reconnect). */
  notice(text: string): void {
    this.item(text, "notice");
  }

  event(event: SessionEvent): void {
    switch (event.kind) {
      case "history":
        this.history(event);
        return;
      case "session-info":
        for (const line of eventLines(event)) this.notice(line);
        return;
      case "echo":
        this.item(`echo: ${eventLine(event)}`, "echo");
        return;
      case "direct-message":
        this.item(eventLine(event), event.kind, event.stamp, event.stored ? "stored" : undefined);
        return;
      case "room-message":
        this.item(eventLine(event), event.kind, event.stamp);
        return;
      default:
        this.item(eventLine(event), event.kind);
    }
  }

  private history(event: HistoryEvent): void {
    const where = event.targetKind === "ROOM" ? `#${event.target}` : `dm with ${event.target}`;
    if (event.status === "NOT_MEMBER") {
      this.item(`[${where}] not a member`, "notice");
      return;
    }
    const resumed = event.purpose === "resume";
    if (event.gap) {
      this.item(
        resumed
          ? `messages may be missing in ${where}: some from while you were away are gone`
          : `messages may be missing in ${where}: the server no longer has some of them`,
        "gap",
      );
    }
    const count = event.messages.length;
    this.item(
      resumed
        ? `${count} message(s) missed in ${where} while you were away`
        : `${count} earlier message(s) of ${where}`,
      "notice",
    );
    for (const message of event.messages) {
      this.item(
        messageLine(event, message),
        resumed ? "replayed" : "earlier",
        message.stamp,
        resumed ? "missed" : "earlier",
      );
    }
  }

  private item(text: string, kind: string, stamp?: ServerStamp, mark?: string): void {
    const item = document.createElement("li");
    item.className = kind;
    if (stamp !== undefined) {
      const time = document.createElement("time");
      const when = new Date(stamp.timeMs);
      time.dateTime = when.toISOString();
      time.textContent = when.toLocaleTimeString();
      item.append(time, " ");
    }
    if (mark !== undefined) {
      const badge = document.createElement("span");
      badge.className = "mark";
      badge.textContent = mark;
      item.append(badge, " ");
    }
    item.append(text);
    this.list.append(item);
    item.scrollIntoView({ block: "end" });
  }
}

/** A stored message in the words of the live event it once was. */
function messageLine(event: HistoryEvent, message: HistoryMessage): string {
  const { messageId, from, text } = message;
  return event.targetKind === "ROOM"
    ? eventLine({ kind: "room-message", room: event.target, messageId, from, text })
    : eventLine({ kind: "direct-message", messageId, from, text });
}
