/**
 * Broken on purpose, and only under load: while 50 or more sessions are live, every fifth CHAT_ECHO of a
 * session is held back and sent after the next one (and lost if no next one comes). With few sessions it
 * behaves like the reference, so only a scenario with many concurrent sessions can catch it (REQ-6.3).
 */
import { SERVER_HANDLERS } from "../../../server/handlers/index.ts";
import type { OutgoingPdu } from "../../../server/outgoing-pdu.ts";
import type { RunningParrotServer } from "../../../server/parrot-server.ts";
import type { HandlerContext, ServerHandlerTable } from "../../../server/session-context.ts";
import { startVariant } from "./start-variant.ts";

const LOAD = 50;
let server: RunningParrotServer | undefined;

interface Echoes {
  chats: number;
  held: OutgoingPdu | undefined;
}
const echoesOf = new WeakMap<HandlerContext, Echoes>();

const reorderingChat: ServerHandlerTable["CHAT"] = (pdu, session) => {
  const result = SERVER_HANDLERS.CHAT(pdu, session);
  if (result === undefined || result instanceof Promise) return result;
  let echoes = echoesOf.get(session);
  if (echoes === undefined) {
    echoes = { chats: 0, held: undefined };
    echoesOf.set(session, echoes);
  }
  echoes.chats++;
  if ((server?.sessionCount ?? 0) < LOAD || result.reply === undefined) return result;
  if (echoes.held === undefined && echoes.chats % 5 === 0) {
    echoes.held = result.reply;
    return { outcome: result.outcome };
  }
  if (echoes.held !== undefined) {
    const late = echoes.held;
    echoes.held = undefined;
    session.send(result.reply);
    session.send(late);
    return { outcome: result.outcome };
  }
  return result;
};

server = await startVariant("reorders-echoes-under-load", () => ({
  handlers: { CHAT: reorderingChat },
}));
