/**
 * Broken on purpose, and only under backpressure: an echo whose write reports a full socket (send()
 * returns false) is taken as not sent and written again behind the next echo, so the client sees it
 * twice and out of order. While the client reads as it goes nothing is ever full, and this server
 * behaves like the reference: only a client that writes megabytes without reading catches it (REQ-6.3).
 */
import type { Pdu } from "../../../generated/index.ts";
import { SERVER_HANDLERS } from "../../../server/handlers/index.ts";
import type { OutgoingPdu } from "../../../server/outgoing-pdu.ts";
import type { HandlerContext, ServerHandlerTable } from "../../../server/session-context.ts";
import { startVariant } from "./start-variant.ts";

const unsent = new WeakMap<HandlerContext, OutgoingPdu>();

const resendingChat: ServerHandlerTable["CHAT"] = (pdu: Pdu & { type: "CHAT" }, session) => {
  const result = SERVER_HANDLERS.CHAT(pdu, session);
  if (result === undefined || result instanceof Promise || result.reply === undefined)
    return result;
  const retry = unsent.get(session);
  unsent.delete(session);
  if (!session.send(result.reply)) unsent.set(session, result.reply);
  if (retry !== undefined) session.send(retry);
  return { outcome: result.outcome };
};

await startVariant("resends-echoes-after-backpressure", () => ({
  handlers: { CHAT: resendingChat },
}));
