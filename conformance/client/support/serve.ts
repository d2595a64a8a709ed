/**
 * The scripted server serving the client the way an ordinary server would (ordinary replies, the echo
 * policy of the scenario, the close after LOGOUT) until the client closes the connection, or for a
 * fixed time during which it must stay connected. What the scenario forbids (a CHAT after a refused
 * login, an ERROR) fails it on the spot.
 */
import { performance } from "node:perf_hooks";
import type { ChatPdu } from "../../../generated/index.ts";
import type { ClientWorld } from "./client-world.ts";
import { ordinaryReplies, otherUsersTraffic } from "./scripted-replies.ts";
import { describeEvent, type PduEvent } from "./scripted-session.ts";

export interface ServeOptions {
  /** A CHAT fails the scenario, blamed on this requirement. */
  forbidChat?: string;
  /** An ERROR from the client fails the scenario, blamed on this requirement (if any). */
  forbidError?: { requirement?: string };
  /** Serve this long and return while the client is still connected ("closed early" if it closed). */
  forMs?: number;
}

export type ServeEnd = "closed" | "closed early" | "still connected";

/** Logins the scripted server refuses before it closes, as REQ-5.7 has a server do. */
const MAX_REFUSED_LOGINS = 3;

export async function serve(world: ClientWorld, options: ServeOptions = {}): Promise<ServeEnd> {
  const session = world.session;
  const progressMs = world.parameters.replyTimeoutMs;
  const until = options.forMs === undefined ? undefined : performance.now() + options.forMs;
  let refusedLogins = world.loginAnswer && world.loginAnswer.status !== "OK" ? 1 : 0;
  for (;;) {
    const wait = until === undefined ? progressMs : until - performance.now();
    const event = await session.next(Math.max(0, wait));
    if (event.kind === "eof" || event.kind === "reset") {
      if (until !== undefined)
        session.fail("the client closed the connection while it had no reason to");
      return "closed";
    }
    if (event.kind === "timeout") {
      if (until !== undefined && performance.now() >= until) return "still connected";
      session.fail(
        `the client neither sent anything nor closed the connection for ${progressMs} ms` +
          (world.keepInputOpen ? "" : " after its input ended"),
      );
    }
    if (event.kind !== "pdu") continue;
    const { pdu } = event;
    if (pdu.type === "CHAT") {
      if (options.forbidChat) {
        session.fail("the client sent a CHAT without a successful login", options.forbidChat);
      }
      if (world.trafficBeforeEchoes) {
        for (const pdu of otherUsersTraffic(chatsSent(world).length, session.version)) {
          session.reply(pdu);
        }
      }
      if (world.echoes !== "never") {
        session.reply({
          type: "CHAT_ECHO",
          version: session.version,
          messageId: pdu.messageId,
          text: pdu.text,
        });
      }
    } else if (pdu.type === "LOGOUT") {
      session.endAfterReplies();
    } else if (pdu.type === "LOGIN_REQUEST") {
      const answer = world.loginAnswer;
      if (!answer || answer.status === "OK") {
        session.reply({
          type: "ERROR",
          version: session.version,
          code: "ALREADY_AUTHENTICATED",
          text: "already logged in",
        });
      } else {
        session.reply({ type: "LOGIN_RESPONSE", version: session.version, ...answer });
        if (answer.status === "BAD_CREDENTIALS" && ++refusedLogins >= MAX_REFUSED_LOGINS) {
          session.reply({
            type: "ERROR",
            version: session.version,
            code: "TOO_MANY_LOGIN_ATTEMPTS",
            text: "too many failed logins",
          });
          session.endAfterReplies();
        }
      }
    } else if (pdu.type === "ERROR") {
      if (options.forbidError) {
        session.fail(
          `the client answered with ${describeEvent(event)}`,
          options.forbidError.requirement,
        );
      }
    } else {
      for (const reply of ordinaryReplies(pdu, session.version, world.user)) session.reply(reply);
    }
  }
}

/** The CHATs the client sent so far, in order. */
export function chatsSent(world: ClientWorld): ChatPdu[] {
  return world.session.received
    .map((event: PduEvent) => event.pdu)
    .filter((pdu): pdu is ChatPdu => pdu.type === "CHAT");
}
