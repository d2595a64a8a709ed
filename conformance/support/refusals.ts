/**
 * One PDU of every kind the server refuses without closing, each with the answer the spec gives it: a
 * flow error (wrong state, a server's type, a type of a later version), a decoding error that does not
 * close (an over-long string), a refusal by status (version 2: NOT_MEMBER, BAD_ROOM_NAME), and a peer's
 * ERROR whose code does not close, which gets no answer at all (REQ-8.5).
 *
 * For REQ-7.3: every complete frame restarts the ping-timeout clock, "whether it is accepted or
 * refused", so a session sending only these must never be timed out.
 */
import type { ErrorCodeName } from "../../generated/index.ts";
import type { ClientSession } from "./client-session.ts";
import { acceptableAnswers } from "./later-version-answer.ts";
import { samplePdu } from "./sample-pdus.ts";

export interface Refusal {
  /** Sends the PDU and reads the server's answer to it (nothing, for a peer's ERROR). */
  sendAndJudge(session: ClientSession, serverVersions: readonly number[]): Promise<void>;
}

const byError = (
  code: ErrorCodeName | ((versions: readonly number[]) => ErrorCodeName[]),
  send: (session: ClientSession) => void,
): Refusal => ({
  async sendAndJudge(session, versions) {
    send(session);
    const expected = typeof code === "function" ? code(versions) : [code];
    const error = await session.expectPdu("ERROR", `ERROR ${expected.join(" or ")}`);
    if (!expected.includes(error.code)) {
      session.fail(`expected ERROR ${expected.join(" or ")}, got ERROR ${error.code}`);
    }
  },
});

let nextId = 0x7e50_0000;

export const REFUSALS: Readonly<Record<string, Refusal>> = {
  "a LOGIN_REQUEST while logged in": byError("ALREADY_AUTHENTICATED", (session) =>
    session.peer.send(samplePdu("LOGIN_REQUEST", session.headerVersion)),
  ),
  "a VERSION_REQUEST offering another version": byError("ALREADY_NEGOTIATED", (session) =>
    session.peer.send({
      type: "VERSION_REQUEST",
      version: 0,
      versions: [session.negotiatedVersion === 1 ? 2 : 1],
    }),
  ),
  "a CHAT_ECHO, which only servers send": byError("UNEXPECTED_MESSAGE", (session) =>
    session.peer.send(samplePdu("CHAT_ECHO", session.headerVersion)),
  ),
  "a CHAT over the maximum length": byError("STRING_TOO_LONG", (session) =>
    session.peer.sendUnchecked({
      type: "CHAT",
      version: session.headerVersion,
      messageId: 1,
      text: "a".repeat(4097),
    }),
  ),
  // A server that speaks no later version need not know the type at all (REQ-3.5, §11).
  "a version 2 type on a version 1 connection": byError(
    (versions) => acceptableAnswers("ROOM_LIST_REQUEST", "UNSUPPORTED_IN_VERSION", versions),
    (session) => session.peer.send(samplePdu("ROOM_LIST_REQUEST", session.headerVersion)),
  ),
  "an ERROR whose code does not close": {
    async sendAndJudge(session) {
      session.peer.send({
        type: "ERROR",
        version: session.headerVersion,
        code: "UNKNOWN_MESSAGE_TYPE",
        text: "sent by the conformance suite",
      });
    },
  },
  "a ROOM_SAY to a room it is not in": {
    async sendAndJudge(session) {
      const messageId = nextId++;
      session.peer.send({
        type: "ROOM_SAY",
        version: session.headerVersion,
        messageId,
        room: "never-joined",
        text: "refused",
      });
      const result = await session.expectPdu("ROOM_RESULT", `ROOM_RESULT ${messageId} NOT_MEMBER`);
      if (result.status !== "NOT_MEMBER" || result.requestId !== messageId) {
        session.fail(`expected ROOM_RESULT ${messageId} NOT_MEMBER, got ${result.status}`);
      }
    },
  },
  "a ROOM_JOIN with a name that is not a room name": {
    async sendAndJudge(session) {
      const requestId = nextId++;
      session.peer.send({
        type: "ROOM_JOIN",
        version: session.headerVersion,
        requestId,
        room: "not a room",
      });
      const result = await session.expectPdu(
        "ROOM_RESULT",
        `ROOM_RESULT ${requestId} BAD_ROOM_NAME`,
      );
      if (result.status !== "BAD_ROOM_NAME" || result.requestId !== requestId) {
        session.fail(`expected ROOM_RESULT ${requestId} BAD_ROOM_NAME, got ${result.status}`);
      }
    },
  },
};

export function refusal(kind: string): Refusal {
  const found = REFUSALS[kind];
  if (!found) throw new Error(`scenario bug: no refusal "${kind}"`);
  return found;
}
