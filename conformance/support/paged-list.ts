/**
 * Reading a whole ROOM_LIST or WHO_LIST page by page, and judging the pages (spec/README.md §12.6,
 * REQ-12.19, REQ-12.20): each answer echoes its request, the names are in ascending byte order from the
 * requested offset, at most limits.maxListEntries per page, every page gives the same total, and the
 * total is the number of names. Beyond the pages the list needs, probes at offset 1 (the list shifted
 * by one), at the total and far past it (no names) check the offset itself.
 */
import { LIMITS, type PduOfType } from "../../generated/index.ts";
import type { ClientSession } from "./client-session.ts";

export type ListKind = "ROOM_LIST" | "WHO_LIST";

export interface ListPage {
  offset: number;
  total: number;
  names: string[];
}

export interface PagedList {
  kind: ListKind;
  /** For WHO_LIST: the room asked about, "" for everyone online. */
  room: string;
  pages: ListPage[];
  /** The pages' names, concatenated. */
  names: string[];
  probes: ListPage[];
}

const FAR_OFFSET = 0xffff_ffff;

export async function readWholeList(
  session: ClientSession,
  kind: ListKind,
  room = "",
): Promise<PagedList> {
  const list: PagedList = { kind, room, pages: [], names: [], probes: [] };
  for (let offset = 0; ; ) {
    const page = await requestPage(session, kind, room, offset);
    list.pages.push(page);
    list.names.push(...page.names);
    offset += page.names.length;
    if (page.names.length === 0 || offset >= page.total) break;
    if (list.pages.length > 1000) session.fail(`${kind} never ends: ${list.pages.length} pages`);
  }
  const total = list.pages[0]?.total ?? 0;
  for (const offset of [1, total, total + 1, FAR_OFFSET]) {
    list.probes.push(await requestPage(session, kind, room, offset));
  }
  return list;
}

/** Judges what readWholeList read; fails `session` on the first problem. */
export function judgeList(session: ClientSession, list: PagedList): void {
  const { kind } = list;
  const total = list.pages[0]?.total ?? 0;
  for (const page of [...list.pages, ...list.probes]) {
    const where = `${kind} from offset ${page.offset}`;
    if (page.names.length > LIMITS.maxListEntries) {
      session.fail(
        `${where} has ${page.names.length} names; at most ${LIMITS.maxListEntries} per page`,
      );
    }
    if (page.total !== total) {
      session.fail(`${where} gives the total ${page.total}; the first page gave ${total}`);
    }
  }
  if (list.names.length !== total) {
    session.fail(
      `${kind}: the pages hold ${list.names.length} names in all, yet the total is ${total}`,
    );
  }
  const unsorted = list.names.findIndex(
    (name, i) => i > 0 && Buffer.compare(Buffer.from(list.names[i - 1]!), Buffer.from(name)) >= 0,
  );
  if (unsorted > 0) {
    session.fail(
      `${kind} is not in strictly ascending byte order: ${JSON.stringify(list.names[unsorted - 1])} ` +
        `comes before ${JSON.stringify(list.names[unsorted])}`,
    );
  }
  const [fromOne, atTotal, pastTotal, far] = list.probes;
  const expectedFromOne = list.names.slice(1, 1 + LIMITS.maxListEntries);
  if (fromOne && fromOne.names.join("\n") !== expectedFromOne.join("\n")) {
    session.fail(
      `${kind} from offset 1 should be the list without its first name ` +
        `(${JSON.stringify(expectedFromOne.slice(0, 5))}...), got ${JSON.stringify(fromOne.names.slice(0, 5))}...`,
    );
  }
  for (const probe of [atTotal, pastTotal, far]) {
    if (probe && probe.names.length > 0) {
      session.fail(
        `${kind} from offset ${probe.offset} (total ${total}) should hold no names, got ${JSON.stringify(probe.names)}`,
      );
    }
  }
}

async function requestPage(
  session: ClientSession,
  kind: ListKind,
  room: string,
  offset: number,
): Promise<ListPage> {
  const requestId = session.takeRequestId();
  const version = session.headerVersion;
  if (kind === "ROOM_LIST") {
    session.peer.send({ type: "ROOM_LIST_REQUEST", version, requestId, offset });
    const { pdu } = await session.awaitPdu(
      "ROOM_LIST",
      (reply) => reply.requestId === requestId,
      `ROOM_LIST for request ${requestId} (offset ${offset})`,
    );
    return { offset, total: pdu.total, names: pdu.rooms };
  }
  session.peer.send({ type: "WHO_REQUEST", version, requestId, room, offset });
  const pdu = await awaitWhoList(session, requestId, `offset ${offset}`);
  if (pdu.status !== "OK" || pdu.room !== room) {
    session.fail(
      `expected WHO_LIST OK for ${JSON.stringify(room)} (offset ${offset}), got ${pdu.status} for ${JSON.stringify(pdu.room)}`,
    );
  }
  return { offset, total: pdu.total, names: pdu.names };
}

/** The WHO_LIST answering `requestId`, wherever it is among unread PDUs. */
export async function awaitWhoList(
  session: ClientSession,
  requestId: number,
  what: string,
): Promise<PduOfType<"WHO_LIST">> {
  const { pdu } = await session.awaitPdu(
    "WHO_LIST",
    (reply) => reply.requestId === requestId,
    `WHO_LIST for request ${requestId} (${what})`,
  );
  return pdu;
}
