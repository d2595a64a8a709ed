/**
 * The minimal client's version 3 (the contract's --client-v3, conformance/README.md): the lines
 * "/join ROOM" and "/history #ROOM", the room and direct messages it prints with their ids noted so
 * a second copy is not printed (REQ-15.17), the rooms it resumes from the last id it printed after
 * a reconnect (REQ-15.25), and history pages no longer than the server's max_page (REQ-15.27),
 * printed with the server's times (REQ-15.28). Planted faults break one of these each.
 */
import type { Pdu } from "../../generated/index.ts";
import type { PlantedFault } from "./planted-faults.ts";

interface LastSeen {
  epoch: number;
  seq: number;
}

interface PageInProgress {
  room: string;
  purpose: "replayed" | "history";
  status: string;
  itemsLeft: number;
  newestSeq: number;
  epoch: number;
}

const HISTORY_COUNT = 20;

export class MinimalRooms {
  /** The rooms joined, with the first and the last id printed in each. */
  private readonly rooms = new Map<string, { first?: LastSeen; last?: LastSeen }>();
  private readonly shown = new Set<string>();
  private readonly pages = new Map<number, PageInProgress>();
  private maxPage = 200;
  private nextRequestId = 1;

  constructor(
    private readonly send: (pdu: Pdu) => void,
    private readonly print: (line: string) => void,
    private readonly has: (fault: PlantedFault) => boolean,
  ) {}

  /** Carries out a command line; false if the line is a message. */
  onLine(line: string, version: number): boolean {
    const [word, name] = line.split(" ");
    if (word === "/join" && name) {
      this.rooms.set(name, {});
      this.send({ type: "ROOM_JOIN", version, requestId: this.nextRequestId++, room: name });
      return true;
    }
    if (word === "/history" && name?.startsWith("#")) {
      const room = name.slice(1);
      const limit = this.has("history-beyond-max-page")
        ? HISTORY_COUNT
        : Math.min(HISTORY_COUNT, this.maxPage);
      this.askPage(room, "history", "LATEST", { epoch: 0, seq: 0 }, limit, version);
      return true;
    }
    return false;
  }

  /** On a new connection: every room joined again, resumed where one was printed. */
  rejoin(version: number): void {
    for (const [room, seen] of this.rooms) {
      const from = this.has("resumes-from-first-id") ? seen.first : seen.last;
      const requestId = this.nextRequestId++;
      if (from === undefined) this.send({ type: "ROOM_JOIN", version, requestId, room });
      else this.send({ type: "ROOM_RESUME", version, requestId, room, ...from });
      if (from !== undefined) this.pages.set(requestId, page(room, "replayed"));
    }
  }

  /** Handles a version-3 PDU; false if it is not one of these. */
  onPdu(pdu: Pdu, version: number): boolean {
    switch (pdu.type) {
      case "SESSION_INFO":
        this.maxPage = pdu.maxPage;
        return true;
      case "ROOM_MESSAGE_V3":
        this.show(pdu.room, pdu, `[#${pdu.room} ${pdu.from}] ${pdu.text}`);
        return true;
      case "DIRECT_MESSAGE_V3":
        this.show(`@${pdu.from}`, pdu, `[dm from ${pdu.from}] ${pdu.text}`);
        return true;
      case "HISTORY_PAGE":
        this.onPage(pdu, version);
        return true;
      case "HISTORY_ITEM":
        this.onItem(pdu, version);
        return true;
      default:
        return false;
    }
  }

  private askPage(
    room: string,
    purpose: PageInProgress["purpose"],
    anchor: "LATEST" | "AFTER",
    from: LastSeen,
    limit: number,
    version: number,
  ): void {
    const requestId = this.nextRequestId++;
    this.pages.set(requestId, page(room, purpose));
    this.send({
      type: "HISTORY_REQUEST",
      version,
      requestId,
      targetKind: "ROOM",
      target: room,
      anchor,
      ...from,
      limit,
    });
  }

  private onPage(pdu: Extract<Pdu, { type: "HISTORY_PAGE" }>, version: number): void {
    const progress = this.pages.get(pdu.requestId);
    if (progress === undefined) return;
    Object.assign(progress, {
      status: pdu.status,
      itemsLeft: pdu.itemCount,
      newestSeq: pdu.newestSeq,
      epoch: pdu.epoch,
    });
    if (pdu.status === "GAP") this.print(`* gap in #${progress.room}: some messages are gone`);
    if (pdu.itemCount === 0) this.pageDone(pdu.requestId, progress, undefined, version);
  }

  private onItem(pdu: Extract<Pdu, { type: "HISTORY_ITEM" }>, version: number): void {
    const progress = this.pages.get(pdu.requestId);
    if (progress === undefined || progress.itemsLeft === 0) return;
    progress.itemsLeft -= 1;
    const time = new Date(pdu.timeS * 1000 + pdu.timeMs).toISOString();
    const line = `(${progress.purpose} ${time}) [#${progress.room} ${pdu.from}] ${pdu.text}`;
    if (progress.purpose === "history") this.print(line);
    else this.show(progress.room, pdu, line);
    if (progress.itemsLeft === 0) this.pageDone(pdu.requestId, progress, pdu, version);
  }

  /** A replay whose server has newer messages than its page gave is paged on, AFTER its last. */
  private pageDone(
    requestId: number,
    progress: PageInProgress,
    last: LastSeen | undefined,
    version: number,
  ): void {
    this.pages.delete(requestId);
    if (progress.purpose !== "replayed" || last === undefined) return;
    if (last.seq < progress.newestSeq && last.epoch === progress.epoch) {
      const from = { epoch: last.epoch, seq: last.seq };
      this.askPage(progress.room, "replayed", "AFTER", from, this.maxPage, version);
    }
  }

  /** Prints a message the first time its conversation and id come, and notes it as seen. */
  private show(conversation: string, id: LastSeen, line: string): void {
    const key = `${conversation} ${id.epoch} ${id.seq}`;
    if (this.shown.has(key) && !this.has("shows-duplicates")) return;
    this.shown.add(key);
    this.print(line);
    const room = this.rooms.get(conversation);
    if (room === undefined) return;
    const seen = { epoch: id.epoch, seq: id.seq };
    room.first ??= seen;
    room.last = seen;
  }
}

function page(room: string, purpose: PageInProgress["purpose"]): PageInProgress {
  return { room, purpose, status: "OK", itemsLeft: 0, newestSeq: 0, epoch: 0 };
}
