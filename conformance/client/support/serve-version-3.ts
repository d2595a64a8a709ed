/**
 * The scripted server serving a version-3 client as a conforming server would (spec §15), while a
 * step waits for something: a line on the client's stdout, a request on the wire. Joins and resumes
 * are answered for the scenario's one room (scripted-room.ts), a resume with its replay (REQ-15.15),
 * history requests with their pages at most max_page long, echoes and the close after LOGOUT as
 * ever. What the client sent is kept for the steps to judge. An ERROR from the client fails the
 * scenario: nothing a conforming server sends deserves one (REQ-15.24 on version 3).
 */
import { performance } from "node:perf_hooks";
import type { Pdu } from "../../../generated/index.ts";
import type { ClientWorld } from "./client-world.ts";
import { ordinaryReplies } from "./scripted-replies.ts";
import { describeEvent } from "./scripted-session.ts";

/** How often a wait looks at the client's stdout while it serves. */
const POLL_MS = 50;

/**
 * Serves until `done()` holds; fails with `waitingFor` if it does not within the reply timeout
 * (or `timeoutMs`). Returns "closed" if the client closed the connection, which `done()` may allow.
 */
export async function serveVersion3(
  world: ClientWorld,
  done: () => boolean,
  waitingFor: string,
  timeoutMs = world.parameters.replyTimeoutMs,
): Promise<"done" | "closed"> {
  const session = world.session;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (done()) return "done";
    const left = deadline - performance.now();
    if (left <= 0) {
      session.fail(`waited ${timeoutMs} ms for ${waitingFor}\n\n${world.client.describe()}`);
    }
    const event = await session.next(Math.min(POLL_MS, left));
    if (event.kind === "timeout") continue;
    if (event.kind === "eof" || event.kind === "reset") {
      if (done()) return "closed";
      session.fail(`the client closed the connection while the scenario waited for ${waitingFor}`);
    }
    if (event.kind !== "pdu") continue;
    if (event.pdu.type === "ERROR") {
      session.fail(
        `the client answered with ${describeEvent(event)}`,
        session.negotiated === 3 ? "REQ-15.24" : undefined,
      );
    }
    for (const reply of answer(world, event.pdu)) session.reply(reply);
  }
}

function answer(world: ClientWorld, pdu: Pdu): Pdu[] {
  const version = world.session.version;
  const room = world.room;
  const asked = world.version3;
  switch (pdu.type) {
    case "ROOM_JOIN":
      asked.joins++;
      asked.member = pdu.room === room.name;
      return ordinaryReplies(pdu, version, world.user);
    case "ROOM_RESUME": {
      asked.resumes.push(pdu);
      if (pdu.room !== room.name) {
        return [
          { type: "ROOM_RESULT", version, requestId: pdu.requestId, status: "OK", room: pdu.room },
          { type: "ROOM_EVENT", version, room: pdu.room, user: world.user, event: "JOINED" },
        ];
      }
      asked.member = true;
      const from = { epoch: pdu.epoch, seq: pdu.seq };
      return [
        { type: "ROOM_RESULT", version, requestId: pdu.requestId, status: "OK", room: room.name },
        ...room.page(pdu.requestId, "AFTER", from, world.maxPage, version),
        { type: "ROOM_EVENT", version, room: room.name, user: world.user, event: "JOINED" },
      ];
    }
    case "HISTORY_REQUEST": {
      asked.history.push(pdu);
      const n = Math.min(pdu.limit, world.maxPage);
      const from = { epoch: pdu.epoch, seq: pdu.seq };
      if (pdu.targetKind === "ROOM" && pdu.target === room.name) {
        return room.page(pdu.requestId, pdu.anchor, from, n, version);
      }
      const status = pdu.targetKind === "ROOM" ? "NOT_MEMBER" : "OK";
      return [
        {
          type: "HISTORY_PAGE",
          version,
          requestId: pdu.requestId,
          status,
          targetKind: pdu.targetKind,
          target: pdu.target,
          epoch: 0,
          oldestSeq: 0,
          newestSeq: 0,
          itemCount: 0,
        },
      ];
    }
    case "CHAT":
      return [{ type: "CHAT_ECHO", version, messageId: pdu.messageId, text: pdu.text }];
    case "LOGOUT":
      world.session.endAfterReplies();
      return [];
    default:
      return ordinaryReplies(pdu, version, world.user);
  }
}
