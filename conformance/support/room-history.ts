/**
 * Judging what the members of a room saw (spec/README.md §12.4, §12.6): every ROOM_MESSAGE to every
 * member exactly once while it is a member (REQ-12.16), the JOINED and LEFT events likewise (REQ-12.13,
 * REQ-12.15), and one order for everyone (REQ-12.8): any two PDUs of the room that two members both
 * received, they received in the same order. Each sender's messages also keep the order it sent them in,
 * since a server handles one connection's frames in order (REQ-2.9).
 *
 * A member's history is the room's ROOM_MESSAGE (or ROOM_MESSAGE_V3) and ROOM_EVENT PDUs in the order
 * they arrived, each named by a key: `user1 #3` for message 3 of user1, `JOINED user4`, `LEFT user3`.
 * A version-3 member's messages carry ids, which must increase along its history (REQ-15.7; across a
 * cluster's nodes, REQ-13.18).
 */
import type { PduOfType } from "../../generated/index.ts";
import type { ClientSession } from "./client-session.ts";
import { ConformanceFailure } from "./conformance-failure.ts";

/** What the senders of a scenario sent to one room: per sender, its messages in the order sent. */
export interface RoomTraffic {
  room: string;
  sent: Map<string, { messageId: number; text: string }[]>;
}

export interface RoomHistory {
  session: ClientSession;
  keys: string[];
  /** The ids of its ROOM_MESSAGE_V3s, in arrival order (none for a version-2 member). */
  ids: { key: string; epoch: number; seq: number }[];
  /** Problems found while reading it (a text that differs from what was sent). */
  notes: string[];
  /** Whether reading stopped because nothing more came within the reply timeout. */
  timedOut: boolean;
}

export interface HistoryExpectation {
  history: RoomHistory;
  /** The keys this member must have received, each exactly once, and no others. */
  expected: ReadonlySet<string>;
}

export function messageKey(from: string, messageId: number): string {
  return `${from} #${messageId}`;
}

export function eventKey(pdu: Pick<PduOfType<"ROOM_EVENT">, "event" | "user">): string {
  return `${pdu.event} ${pdu.user}`;
}

/** Every message key of the traffic. */
export function sentKeys(traffic: RoomTraffic): string[] {
  return [...traffic.sent].flatMap(([from, messages]) =>
    messages.map((message) => messageKey(from, message.messageId)),
  );
}

/**
 * Reads the room's PDUs on one connection, in arrival order, until `done(keys)` says so or nothing
 * arrives for the reply timeout. `stop`, if given, is a PDU of another kind that ends the history (a
 * leaver's own ROOM_RESULT): it is taken too, and what comes after it is left unread.
 */
export async function collectRoomHistory(
  session: ClientSession,
  traffic: RoomTraffic,
  done: (keys: readonly string[]) => boolean,
  stop?: (pdu: PduOfType<"ROOM_RESULT">) => boolean,
): Promise<RoomHistory> {
  const history: RoomHistory = { session, keys: [], ids: [], notes: [], timedOut: false };
  const texts = new Map(
    [...traffic.sent].flatMap(([from, messages]) =>
      messages.map((message) => [messageKey(from, message.messageId), message.text] as const),
    ),
  );
  while (!done(history.keys)) {
    const event = await session.peer.take(
      (e) =>
        e.kind === "pdu" &&
        (((e.pdu.type === "ROOM_MESSAGE" ||
          e.pdu.type === "ROOM_MESSAGE_V3" ||
          e.pdu.type === "ROOM_EVENT") &&
          e.pdu.room === traffic.room) ||
          (e.pdu.type === "ROOM_RESULT" && stop !== undefined && stop(e.pdu))),
      session.parameters.replyTimeoutMs,
    );
    if (event.kind === "timeout") {
      history.timedOut = true;
      break;
    }
    if (event.kind !== "pdu") break;
    const pdu = event.pdu;
    if (pdu.type === "ROOM_RESULT") break;
    if (pdu.type === "ROOM_EVENT") {
      history.keys.push(eventKey(pdu));
    } else if (pdu.type === "ROOM_MESSAGE" || pdu.type === "ROOM_MESSAGE_V3") {
      const key = messageKey(pdu.from, pdu.messageId);
      history.keys.push(key);
      if (pdu.type === "ROOM_MESSAGE_V3") history.ids.push({ key, epoch: pdu.epoch, seq: pdu.seq });
      const sent = texts.get(key);
      if (sent !== undefined && sent !== pdu.text) {
        history.notes.push(
          `${key}: the text differs from the one sent (${JSON.stringify(sent)} vs ${JSON.stringify(pdu.text)})`,
        );
      }
    }
  }
  return history;
}

interface Problem {
  requirement: string;
  session: ClientSession;
  text: string;
}

/** Judges the histories; a failure lists every problem, blamed on the requirement of the first. */
export function judgeRoomHistories(
  traffic: RoomTraffic,
  expectations: readonly HistoryExpectation[],
  idRequirement = "REQ-15.7",
): void {
  const problems: Problem[] = [];
  const add = (requirement: string, session: ClientSession, text: string) =>
    problems.push({ requirement, session, text });
  const byKind = (key: string) =>
    key.startsWith("JOINED ") ? "REQ-12.13" : key.startsWith("LEFT ") ? "REQ-12.15" : "REQ-12.16";

  for (const { history, expected } of expectations) {
    const { session, keys } = history;
    for (const note of history.notes) add("REQ-12.16", session, note);
    const seen = new Map<string, number>();
    for (const key of keys) seen.set(key, (seen.get(key) ?? 0) + 1);
    const twice = [...seen]
      .filter(([, count]) => count > 1)
      .map(([key, count]) => `${key} ×${count}`);
    const missing = [...expected].filter((key) => !seen.has(key));
    const extra = [...seen.keys()].filter((key) => !expected.has(key));
    if (twice.length > 0)
      add(byKind(twice[0]!), session, `received more than once: ${list(twice)}`);
    if (missing.length > 0) {
      add(
        byKind(missing[0]!),
        session,
        `never received ${missing.length} of the ${expected.size} it should have: ${list(missing)}` +
          (history.timedOut ? " (nothing more came within the reply timeout)" : ""),
      );
    }
    if (extra.length > 0) {
      add(
        byKind(extra[0]!),
        session,
        `received what it should not have as a member: ${list(extra)}`,
      );
    }
  }

  // REQ-12.8: the PDUs two members both received, in the same order for both.
  for (let a = 0; a < expectations.length; a++) {
    for (let b = a + 1; b < expectations.length; b++) {
      const first = expectations[a]!.history;
      const second = expectations[b]!.history;
      const inSecond = new Set(second.keys);
      const inFirst = new Set(first.keys);
      const x = first.keys.filter((key) => inSecond.has(key));
      const y = second.keys.filter((key) => inFirst.has(key));
      const at = x.findIndex((key, i) => key !== y[i]);
      if (at >= 0) {
        add(
          "REQ-12.8",
          second.session,
          `"${first.session.name}" and "${second.session.name}" received the room's PDUs in different ` +
            `orders: at position ${at} of what both received, ${x[at]} vs ${y[at]} ` +
            `(${JSON.stringify(x.slice(Math.max(0, at - 2), at + 3))} vs ${JSON.stringify(y.slice(Math.max(0, at - 2), at + 3))})`,
        );
      }
    }
  }

  // REQ-15.7: a version-3 member's ids increase along what it received, in the order it did.
  for (const { history } of expectations) {
    const back = history.ids.findIndex(
      (id, i) =>
        i > 0 && id.epoch === history.ids[i - 1]!.epoch && id.seq <= history.ids[i - 1]!.seq,
    );
    if (back > 0) {
      const [before, after] = [history.ids[back - 1]!, history.ids[back]!];
      add(
        idRequirement,
        history.session,
        `${after.key} (seq ${after.seq}) arrived after ${before.key} (seq ${before.seq}) of the same ` +
          `epoch ${after.epoch}: the ids do not increase in the order received`,
      );
    }
  }

  // REQ-2.9: when every member agrees on one order, that order must still keep each sender's messages
  // as sent; a member whose view alone differs was reported above (REQ-12.8).
  if (!problems.some((problem) => problem.requirement === "REQ-12.8")) {
    for (const { history } of expectations) {
      const inversion = senderInversion(traffic, history.keys);
      if (inversion) add("REQ-2.9", history.session, inversion);
    }
  }

  if (problems.length === 0) return;
  // The failure is pinned on the first problem: lost or extra PDUs before a differing order.
  const rank = (problem: Problem) =>
    problem.requirement === "REQ-2.9"
      ? 2
      : problem.requirement === "REQ-12.8" || problem.requirement === idRequirement
        ? 1
        : 0;
  problems.sort((a, b) => rank(a) - rank(b));
  const involved = [...new Set(problems.map((problem) => problem.session))].slice(0, 3);
  throw new ConformanceFailure(
    `${problems.length} problem(s) in what the members of ${JSON.stringify(traffic.room)} received ` +
      `(${expectations.length} members):\n` +
      problems
        .slice(0, 12)
        .map((problem) => `  - [${problem.requirement}] "${problem.session.name}": ${problem.text}`)
        .join("\n"),
    involved.map((session) => session.peer.transcript),
    problems[0]!.requirement,
  );
}

/** The first pair of one sender's messages that `keys` holds in the opposite order to the sending. */
function senderInversion(traffic: RoomTraffic, keys: readonly string[]): string | undefined {
  for (const [from, messages] of traffic.sent) {
    const order = messages.map((message) => messageKey(from, message.messageId));
    const got = keys.filter((key) => order.includes(key));
    const ranks = got.map((key) => order.indexOf(key));
    const at = ranks.findIndex((r, i) => i > 0 && r < ranks[i - 1]!);
    if (at > 0) {
      return `${from}'s messages are not in the order sent: ${got[at - 1]} came before ${got[at]}`;
    }
  }
  return undefined;
}

function list(keys: readonly string[]): string {
  return keys.length > 8 ? `${keys.slice(0, 8).join(", ")}, … (${keys.length})` : keys.join(", ");
}
