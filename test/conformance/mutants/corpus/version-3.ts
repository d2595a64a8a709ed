/**
 * Planted faults in version 3 (spec §15): server ids and their order, history pages and their
 * bounds, who may read a history, resume, offline direct messages. See ../corpus.ts.
 */
import { classifyInstead, type Mutant, p } from "./shared.ts";

const HISTORY_REQUEST = "server/handlers/history-request.ts";
const PAGE = "server/history/history-page.ts";
const RESUME = "server/handlers/room-resume.ts";
const STAMPED = "server/history/stamped-pdus.ts";
const DIRECT_V3 = "server/handlers/direct-send-v3.ts";
const DIRECT_V2 = "server/handlers/direct-send.ts";
const V3_LOGIN = "server/history/version-3-login.ts";
const CONVERSATION = "server/history/conversation.ts";
const ROOM_SAY = "server/handlers/room-say.ts";
const LOGIN = "server/handlers/login-request.ts";

const PAGE_QUERY =
  'const query: HistoryQuery = anchor === "LATEST" ? { anchor, limit } : { anchor, seq, limit };';
const SEND_ITEMS = "for (const message of page.messages) send(historyItem(requestId, message));";
const RESUME_JOINED =
  '    await bus.publish({ kind: "roomMembers", room }, roomEvent(room, me.user, "JOINED"));\n';
const STORED_SENT = "    for (const message of messages) session.send(directMessageV3(message));\n";

export const VERSION_3: Mutant[] = [
  // --- history pages (§15.3) ---
  {
    id: "history-limit-past-max-page",
    breaks: "REQ-15.10",
    fault: "a HISTORY_REQUEST's limit is obeyed even above the advertised max_page",
    patches: [
      p(
        HISTORY_REQUEST,
        "const limit = Math.min(pdu.limit, history.pageSize);",
        "const limit = pdu.limit;",
      ),
    ],
  },
  {
    id: "history-page-one-short-of-max",
    breaks: "REQ-15.10",
    fault: "a page holds at most max_page - 1 items, one fewer than advertised",
    patches: [
      p(
        HISTORY_REQUEST,
        "const limit = Math.min(pdu.limit, history.pageSize);",
        "const limit = Math.min(pdu.limit, history.pageSize - 1);",
      ),
    ],
  },
  {
    id: "history-max-page-overstated",
    breaks: "REQ-15.10",
    fault: "SESSION_INFO advertises max_page 200 while pages stop at the server's own page size",
    patches: [p(V3_LOGIN, "      maxPage: history.pageSize,", "      maxPage: 200,")],
  },
  {
    id: "history-target-folded",
    breaks: "REQ-15.10",
    fault: "HISTORY_PAGE names the target in lower case, not byte for byte as requested",
    patches: [
      p(
        HISTORY_REQUEST,
        "sendPage((item) => session.send(item), requestId, { targetKind, target }, page);",
        "sendPage((item) => session.send(item), requestId, { targetKind, target: target.toLowerCase() }, page);",
      ),
    ],
  },
  {
    id: "history-open-to-non-members",
    breaks: "REQ-15.11",
    fault: "any session may read any room's history: the membership check is left out",
    patches: [
      p(
        HISTORY_REQUEST,
        'if (targetKind === "ROOM" && !(await session.shared.rooms.isMember(me, target))) {',
        'if (targetKind === "ROOM" && target === "" && !(await session.shared.rooms.isMember(me, target))) {',
      ),
    ],
  },
  {
    id: "history-open-to-former-members",
    breaks: "REQ-15.11",
    fault: "a room's history is refused only when the room does not exist, not to non-members",
    patches: [
      p(
        HISTORY_REQUEST,
        'if (targetKind === "ROOM" && !(await session.shared.rooms.isMember(me, target))) {',
        'if (targetKind === "ROOM" && (await session.shared.rooms.memberNames(target)) === undefined) {',
      ),
    ],
  },
  {
    id: "direct-conversation-ordered",
    breaks: "REQ-15.10",
    fault:
      "a direct conversation is keyed by (sender, recipient): each party reads only its own half",
    patches: [
      p(
        CONVERSATION,
        "const users: [string, string] = a <= b ? [a, b] : [b, a];",
        "const users: [string, string] = [a, b];",
      ),
    ],
  },
  {
    id: "before-includes-anchor",
    breaks: "REQ-15.10",
    fault: "BEFORE (epoch, seq) includes the message of the anchor itself",
    patches: [
      p(
        PAGE,
        PAGE_QUERY,
        'const query: HistoryQuery = anchor === "LATEST" ? { anchor, limit } : { anchor, seq: anchor === "BEFORE" ? seq + 1 : seq, limit };',
      ),
    ],
  },
  {
    id: "after-includes-anchor",
    breaks: "REQ-15.10",
    fault: "AFTER (epoch, seq) includes the message of the anchor itself",
    patches: [
      p(
        PAGE,
        PAGE_QUERY,
        'const query: HistoryQuery = anchor === "LATEST" ? { anchor, limit } : { anchor, seq: anchor === "AFTER" && seq > 0 ? seq - 1 : seq, limit };',
      ),
    ],
  },
  {
    id: "history-items-newest-first",
    breaks: "REQ-15.10",
    fault: "a page's items are sent newest first",
    patches: [
      p(
        PAGE,
        SEND_ITEMS,
        "for (const message of [...page.messages].reverse()) send(historyItem(requestId, message));",
      ),
    ],
  },
  {
    id: "history-item-request-id-zero",
    breaks: "REQ-15.10",
    fault: "HISTORY_ITEMs carry request id 0, not their page's",
    patches: [
      p(PAGE, SEND_ITEMS, "for (const message of page.messages) send(historyItem(0, message));"),
    ],
  },
  {
    id: "history-page-newest-of-page",
    breaks: "REQ-15.10",
    fault: "HISTORY_PAGE's newest_seq is the newest item of the page, not of the conversation",
    patches: [
      p(
        PAGE,
        "const { epoch, oldestSeq, newestSeq } = page.range;",
        "const { epoch, oldestSeq } = page.range;\n  const newestSeq = page.messages.at(-1)?.seq ?? page.range.newestSeq;",
      ),
    ],
  },
  {
    id: "history-page-oldest-of-page",
    breaks: "REQ-15.10",
    fault: "HISTORY_PAGE's oldest_seq is the oldest item of the page, not the oldest kept",
    patches: [
      p(
        PAGE,
        "const { epoch, oldestSeq, newestSeq } = page.range;",
        "const { epoch, newestSeq } = page.range;\n  const oldestSeq = page.messages[0]?.seq ?? page.range.oldestSeq;",
      ),
    ],
  },
  // --- GAP (REQ-15.12) ---
  {
    id: "other-epoch-before-gets-oldest",
    breaks: "REQ-15.12",
    fault: "BEFORE an id of another epoch gets the oldest messages kept, not the newest",
    patches: [
      p(
        PAGE,
        'anchor === "BEFORE" ? { anchor: "LATEST", limit } : { anchor: "AFTER", seq: 0, limit };',
        '{ anchor: "AFTER", seq: 0, limit };',
      ),
    ],
  },
  {
    id: "other-epoch-answered-ok",
    breaks: "REQ-15.12",
    fault: "an anchor of another epoch gets the right items but status OK, not GAP",
    patches: [
      p(
        PAGE,
        'return { status: "GAP", ...(await store.read(conversation, fallback)) };',
        'return { status: "OK", ...(await store.read(conversation, fallback)) };',
      ),
    ],
  },
  {
    id: "other-epoch-ignored-after",
    breaks: "REQ-15.12",
    fault: "AFTER an id of another epoch is served as if the epoch were current",
    patches: [
      p(
        PAGE,
        "if (epoch !== read.range.epoch) {",
        'if (epoch !== read.range.epoch && anchor === "BEFORE") {',
      ),
    ],
  },
  {
    id: "lost-after-never-gap",
    breaks: "REQ-15.12",
    fault: "AFTER an id whose next messages are no longer kept is answered OK, not GAP",
    patches: [
      p(PAGE, "  if (seq >= range.newestSeq) return false;", "  if (seq >= 0) return false;"),
    ],
  },
  {
    id: "lost-after-off-by-one",
    breaks: "REQ-15.12",
    fault: "AFTER the id right before the oldest kept is answered GAP though nothing is missing",
    patches: [
      p(
        PAGE,
        "return range.oldestSeq === 0 || seq + 1 < range.oldestSeq;",
        "return range.oldestSeq === 0 || seq < range.oldestSeq;",
      ),
    ],
  },
  {
    id: "history-count-overstated",
    breaks: "REQ-15.13",
    fault: "SESSION_INFO advertises twice the history_count the store keeps",
    patches: [p(V3_LOGIN, "      historyCount,\n", "      historyCount: historyCount * 2,\n")],
  },
  // --- resume (§15.4) ---
  {
    id: "resume-joined-before-replay",
    breaks: "REQ-15.15",
    fault: "ROOM_RESUME announces JOINED before the replay, not after it",
    patches: [
      p(
        RESUME,
        "    session.send(reply);\n    const limit = history.pageSize;",
        `    session.send(reply);\n${RESUME_JOINED}    const limit = history.pageSize;`,
      ),
      p(RESUME, `${RESUME_JOINED}    return { outcome: "OK" };`, '    return { outcome: "OK" };'),
    ],
  },
  {
    id: "resume-replay-unbounded",
    breaks: "REQ-15.15",
    fault: "a resume replays everything missed, not a page of at most max_page",
    patches: [p(RESUME, "const limit = history.pageSize;", "const limit = 0xffff;")],
  },
  {
    id: "resume-already-member-replays",
    breaks: "REQ-15.15",
    fault:
      "a ROOM_RESUME of a room one is in is answered ALREADY_MEMBER, then replayed and JOINED anyway",
    patches: [
      p(
        RESUME,
        'if (status !== "OK") return { outcome: status, reply };',
        'if (status !== "OK" && status !== "ALREADY_MEMBER") return { outcome: status, reply };',
      ),
    ],
  },
  {
    id: "resume-from-anchor-inclusive",
    breaks: "REQ-15.16",
    fault: "the replay starts at the last message the client saw, so it gets that one twice",
    patches: [p(RESUME, "      seq,\n      limit,\n", "      seq: seq - 1,\n      limit,\n")],
  },
  {
    id: "resume-replays-latest",
    breaks: "REQ-15.15",
    fault: "the replay is the latest page, not the messages after the client's last id",
    patches: [p(RESUME, '      anchor: "AFTER",', '      anchor: "LATEST",')],
  },
  {
    id: "resume-joined-to-resumer-only",
    breaks: "REQ-15.15",
    fault: "a resume's JOINED goes to the resumer only, not to the room's other members",
    patches: [p(RESUME, RESUME_JOINED, '    session.send(roomEvent(room, me.user, "JOINED"));\n')],
  },
  // --- ids and time (§15.2) ---
  {
    id: "copy-time-at-sending",
    breaks: "REQ-15.6",
    fault: "each copy of a message carries the time it was sent, not the time it was accepted",
    patches: [
      p(
        STAMPED,
        "export function idAndTime(message: StoredMessage) {\n",
        "export function idAndTime(message: StoredMessage) {\n  message = { ...message, acceptedAtMs: Date.now() };\n",
      ),
    ],
  },
  {
    id: "seq-counted-from-zero",
    breaks: "REQ-15.5",
    fault: "the seqs on the wire count from 0 while the pages' oldest and newest count from 1",
    patches: [p(STAMPED, "    seq: message.seq,\n", "    seq: message.seq - 1,\n")],
  },
  {
    id: "version-2-sayers-unstamped",
    breaks: "REQ-15.3",
    fault:
      "a version 2 member's ROOM_SAY is neither kept nor given an id: version 3 members get ROOM_MESSAGE",
    patches: [
      p(
        ROOM_SAY,
        "    if (history === undefined) {",
        "    if (history === undefined || session.negotiatedVersion !== 3) {",
      ),
    ],
  },
  {
    id: "direct-send-unstamped",
    breaks: "REQ-15.3",
    fault:
      "a DIRECT_SEND is relayed in its version 2 form and not kept, even to a version 3 recipient",
    patches: [p(DIRECT_V2, "    if (history === undefined) {", "    if (history !== null) {")],
  },
  {
    id: "direct-send-not-delivered-queued",
    breaks: "REQ-15.22",
    fault: "a DIRECT_SEND to a user who is away is answered NOT_DELIVERED but queued as well",
    patches: [
      p(
        DIRECT_V2,
        '    if (recipient === undefined || !recipient.speaks("DIRECT_MESSAGE")) {\n',
        '    if (recipient === undefined || !recipient.speaks("DIRECT_MESSAGE")) {\n      if (history !== undefined) void history.store.append(directConversation(session.me().user, to), { messageId, from: session.me().user, text, acceptedAtMs: history.wallClock() }).then((m) => history.store.enqueueOffline(to, m));\n',
      ),
    ],
  },
  // --- offline direct messages (§15.5) ---
  {
    id: "dm-v3-to-version-1-user-delivered",
    breaks: "REQ-15.19",
    fault:
      "a DIRECT_SEND_V3 to a user logged in only on version 1 is answered DELIVERED (and lost)",
    patches: [
      p(
        DIRECT_V3,
        "if (recipient !== undefined && recipient.version >= 2) {",
        "if (recipient !== undefined && recipient.version >= 1) {",
      ),
    ],
  },
  {
    id: "dm-v3-to-self-stored",
    breaks: "REQ-15.18",
    fault: "a DIRECT_SEND_V3 to one's own username is STORED for a later login, not delivered",
    patches: [
      p(
        DIRECT_V3,
        "if (recipient !== undefined && recipient.version >= 2) {",
        "if (recipient !== undefined && recipient.version >= 2 && to !== from) {",
      ),
    ],
  },
  {
    id: "dm-v3-unknown-name-unkept",
    breaks: "REQ-15.19",
    fault:
      "a DIRECT_SEND_V3 to a name no account has is answered STORED with id (0, 0) and kept nowhere",
    patches: [
      p(
        DIRECT_V3,
        "const stored = await history.store.append(directConversation(from, to), draft);",
        "const stored = (authenticator.hasAccount?.(to) ?? true) ? await history.store.append(directConversation(from, to), draft) : { ...draft, epoch: 0, seq: 0 };",
      ),
    ],
  },
  {
    id: "dm-v3-not-queued-while-on-version-1",
    breaks: "REQ-15.20",
    fault: "a DIRECT_SEND_V3 to a user logged in on version 1 is answered STORED but never queued",
    patches: [
      p(
        DIRECT_V3,
        "if (authenticator.hasAccount?.(to) ?? true) await",
        "if (recipient === undefined && (authenticator.hasAccount?.(to) ?? true)) await",
      ),
    ],
  },
  {
    id: "dm-v3-delivered-copied-to-sender",
    breaks: "REQ-15.18",
    fault: "a delivered DIRECT_SEND_V3 is also sent back to its sender as DIRECT_MESSAGE_V3",
    patches: [
      p(
        DIRECT_V3,
        'fanOut: () => bus.publish({ kind: "namedUser", user: to }, directMessageV3(stored)),',
        'fanOut: () => {\n          void bus.publish({ kind: "namedUser", user: from }, directMessageV3(stored));\n          return bus.publish({ kind: "namedUser", user: to }, directMessageV3(stored));\n        },',
      ),
    ],
  },
  {
    id: "dm-v3-stored-copied-to-sender",
    breaks: "REQ-15.19",
    fault: "a stored DIRECT_SEND_V3 is echoed to its sender as DIRECT_MESSAGE_V3",
    patches: [
      p(
        DIRECT_V3,
        'return { outcome: "STORED", reply: { ...status, status: "STORED" } };',
        'return { outcome: "STORED", reply: { ...status, status: "STORED" }, fanOut: () => bus.publish({ kind: "namedUser", user: from }, directMessageV3(stored)) };',
      ),
    ],
  },
  {
    id: "stored-dms-before-session-info",
    breaks: "REQ-15.14",
    fault: "the stored direct messages are sent before SESSION_INFO",
    patches: [
      p(
        V3_LOGIN,
        '    session.send({\n      type: "SESSION_INFO",',
        `${STORED_SENT}    session.send({\n      type: "SESSION_INFO",`,
      ),
      p(
        V3_LOGIN,
        `${STORED_SENT}    await session.becomeParticipant();`,
        "    await session.becomeParticipant();",
      ),
    ],
  },
  {
    id: "stored-dms-newest-first",
    breaks: "REQ-15.20",
    fault: "the stored direct messages are delivered newest first",
    patches: [
      p(
        V3_LOGIN,
        STORED_SENT,
        "    for (const message of [...messages].reverse()) session.send(directMessageV3(message));\n",
      ),
    ],
  },
  {
    id: "stored-dms-restamped",
    breaks: "REQ-15.20",
    fault:
      "a stored direct message is delivered with the time of its delivery, not of its acceptance",
    patches: [
      p(
        V3_LOGIN,
        STORED_SENT,
        "    for (const message of messages) session.send(directMessageV3({ ...message, acceptedAtMs: history.wallClock() }));\n",
      ),
    ],
  },
  {
    id: "stored-count-counts-dropped",
    breaks: "REQ-15.21",
    fault: "SESSION_INFO's stored_count counts the dropped messages too",
    patches: [
      p(V3_LOGIN, "storedCount: messages.length,", "storedCount: messages.length + dropped,"),
    ],
  },
  {
    id: "queue-emptied-by-version-2-login",
    breaks: "REQ-15.20",
    fault: "a version 2 login takes the user's queue of stored direct messages and drops it",
    patches: [
      p(
        LOGIN,
        "      if (session.negotiatedVersion !== 3 || history === undefined)\n        return session.becomeParticipant();",
        "      if (session.negotiatedVersion !== 3 || history === undefined) {\n        void history?.store.takeOffline(username);\n        return session.becomeParticipant();\n      }",
      ),
    ],
  },
  {
    id: "version-3-request-before-login-unsupported",
    breaks: "REQ-15.4",
    fault:
      "a HISTORY_REQUEST before login on a version 3 connection is refused UNSUPPORTED_IN_VERSION",
    patches: [
      classifyInstead(
        'state === "NEGOTIATED" && negotiatedVersion === 3 && header.type === "HISTORY_REQUEST" ? { kind: "reject", error: "UNSUPPORTED_IN_VERSION" } :',
      ),
    ],
  },
];
