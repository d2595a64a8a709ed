/**
 * Steps of v3-history-bounds.feature (spec §15.3, §15.4): pages against the advertised max_page and
 * history_count, GAP for what is no longer kept and for BEFORE an id of another epoch, and resumes
 * that are refused or miss more than a page.
 */
import { Then, When } from "@cucumber/cucumber";
import type { PduOfType } from "../../generated/index.ts";
import type { ClientSession } from "../support/client-session.ts";
import { judgeItems, readHistory } from "../support/conversation-history.ts";
import { expectReplay, sendResume } from "../support/room-resume.ts";
import {
  judgePageHead,
  judgePageRange,
  lastSeenBeforeLeaving,
  saidIn,
  sayNumbered,
} from "../support/said-room-messages.ts";
import { Unsupported } from "../support/unsupported.ts";
import type { ParrotWorld } from "../support/world.ts";

/** The most messages a scenario says to pass the history bound: more would judge patience. */
const MOST_TO_OUTGROW = 2000;

function sessionInfo(session: ClientSession): PduOfType<"SESSION_INFO"> {
  const info = session.sessionInfo;
  if (info === undefined)
    session.fail("no SESSION_INFO after the version 3 login", [], "REQ-15.14");
  return info;
}

/** How many of the `said` messages the advertised history_count keeps (age aside). */
function keptOf(info: PduOfType<"SESSION_INFO">, said: number): number {
  return info.historyCount === 0 ? said : Math.min(info.historyCount, said);
}

When(
  "{string} says one more numbered message in {string} than a history page holds",
  async function (this: ParrotWorld, name: string, room: string) {
    const speaker = this.session(name);
    await sayNumbered(this, speaker, room, sessionInfo(speaker).maxPage + 1);
  },
);

Then(
  "{string} asking for the latest messages of {string} with a limit of {int} gets the newest a page holds",
  async function (this: ParrotWorld, name: string, room: string, limit: number) {
    const session = this.session(name);
    const info = sessionInfo(session);
    const list = saidIn(this, room);
    const { page, items } = await readHistory(session, {
      targetKind: "ROOM",
      target: room,
      anchor: "LATEST",
      limit,
    });
    judgePageHead(session, page, room, "OK");
    const n = Math.min(limit, info.maxPage, keptOf(info, list.length));
    judgeItems(
      session,
      items,
      list.slice(list.length - n),
      `LATEST with limit ${limit} and max_page ${info.maxPage} (${list.length} messages said)`,
    );
  },
);

When(
  "{string} says two more numbered messages in {string} than the history keeps",
  async function (this: ParrotWorld, name: string, room: string) {
    const speaker = this.session(name);
    const { historyCount, historyAgeS } = sessionInfo(speaker);
    if (historyCount === 0 || historyCount > MOST_TO_OUTGROW) {
      throw new Unsupported(
        `the server keeps history_count ${historyCount}: judged only for a count of 1..${MOST_TO_OUTGROW}`,
      );
    }
    // An age bound shorter than the scenario would drop messages the count still keeps.
    if (historyAgeS !== 0 && historyAgeS < 600) {
      throw new Unsupported(`history_age_s ${historyAgeS} is too short to judge the count bound`);
    }
    await sayNumbered(this, speaker, room, historyCount + 2);
  },
);

Then(
  "{string} finds the history of {string} holding exactly the newest messages the server advertised",
  async function (this: ParrotWorld, name: string, room: string) {
    const session = this.session(name);
    const { historyCount } = sessionInfo(session);
    const list = saidIn(this, room);
    const last = list.at(-1)!;
    const { page } = await readHistory(session, {
      targetKind: "ROOM",
      target: room,
      anchor: "LATEST",
      limit: 1,
    });
    judgePageHead(session, page, room, "OK");
    const oldestKept = last.seq - historyCount + 1;
    if (page.epoch !== last.epoch || page.newestSeq !== last.seq || page.oldestSeq !== oldestKept) {
      session.fail(
        `after ${list.length} messages with history_count ${historyCount}, HISTORY_PAGE says epoch ` +
          `${page.epoch}, seqs ${page.oldestSeq}..${page.newestSeq}; expected epoch ${last.epoch}, ` +
          `seqs ${oldestKept}..${last.seq}: the newest history_count kept, and no more`,
        [],
        "REQ-15.13",
      );
    }
  },
);

Then(
  "{string} asking for the history of {string} after its {word} message gets {word} and the oldest messages kept",
  async function (this: ParrotWorld, name: string, room: string, which: string, status: string) {
    const session = this.session(name);
    const { historyCount } = sessionInfo(session);
    const list = saidIn(this, room);
    const oldestKept = list.length - historyCount;
    // "first": the oldest said, no longer kept; "last-lost": the one right before the oldest kept.
    const anchor = which === "first" ? list[0]! : list[oldestKept - 1]!;
    const { page, items } = await readHistory(session, {
      targetKind: "ROOM",
      target: room,
      anchor: "AFTER",
      epoch: anchor.epoch,
      seq: anchor.seq,
      limit: 3,
    });
    judgePageHead(session, page, room, status as "OK" | "GAP");
    judgeItems(
      session,
      items,
      list.slice(oldestKept, oldestKept + 3),
      `AFTER seq ${anchor.seq} with seqs ${list[oldestKept]!.seq}.. kept`,
    );
  },
);

Then(
  "{string} asks for the history of {string} before message {int} of another epoch with a limit of {int}, it gets GAP and the newest {int}",
  async function (
    this: ParrotWorld,
    name: string,
    room: string,
    anchorIndex: number,
    limit: number,
    newest: number,
  ) {
    const session = this.session(name);
    const list = saidIn(this, room);
    const anchor = list[anchorIndex - 1]!;
    const otherEpoch = anchor.epoch === 0xffffffff ? 1 : anchor.epoch + 1;
    const { page, items } = await readHistory(session, {
      targetKind: "ROOM",
      target: room,
      anchor: "BEFORE",
      epoch: otherEpoch,
      seq: anchor.seq,
      limit,
    });
    judgePageHead(session, page, room, "GAP");
    judgePageRange(session, page, list);
    judgeItems(session, items, list.slice(-newest), `BEFORE an id of epoch ${otherEpoch}`);
  },
);

Then(
  "{string} resuming {string}, which it is in, gets ROOM_RESULT ALREADY_MEMBER and nothing else",
  async function (this: ParrotWorld, name: string, room: string) {
    const session = this.session(name);
    const requestId = sendResume(session, room, saidIn(this, room)[0]!);
    const { pdu } = await session.awaitPdu(
      "ROOM_RESULT",
      (r) => r.requestId === requestId,
      `ROOM_RESULT ${requestId} for the resume`,
    );
    if (pdu.status !== "ALREADY_MEMBER" || pdu.room !== room) {
      session.fail(
        `a ROOM_RESUME of ${room} by a member got ${pdu.status} for ${pdu.room}`,
        [],
        "REQ-15.15",
      );
    }
    await session.expectServed("nothing replayed, no JOINED, after a refused resume");
  },
);

Then(
  "{string} resumes {string} from the last message it saw, it gets one page of what it missed, its JOINED, and pages on to the rest",
  async function (this: ParrotWorld, name: string, room: string) {
    const session = this.session(name);
    const { maxPage } = sessionInfo(session);
    const anchor = lastSeenBeforeLeaving(this);
    const list = saidIn(this, room);
    const missed = list.slice(list.findIndex((m) => m.seq === anchor.seq) + 1);
    const requestId = sendResume(session, room, anchor);
    const replayed = await expectReplay(session, requestId, room, list, missed.slice(0, maxPage));
    const lastReplayed = replayed.at(-1) ?? anchor;
    const rest = await readHistory(session, {
      targetKind: "ROOM",
      target: room,
      anchor: "AFTER",
      epoch: lastReplayed.epoch,
      seq: lastReplayed.seq,
      limit: maxPage,
    });
    judgePageHead(session, rest.page, room, "OK");
    judgeItems(session, rest.items, missed.slice(maxPage), "AFTER the replay's last item");
  },
);
