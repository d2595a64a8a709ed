/**
 * Broken on purpose, and only under load: while 50 or more sessions are live, every fifth CHAT_ECHO of a
 * session is held back and sent after the next one (and lost if no next one comes). With few sessions it
 * behaves like the reference, so only a scenario with many concurrent sessions can catch it (REQ-6.3).
 */
import type { PduOfType } from "../../../generated/index.ts";
import type { OutgoingPdu } from "../../../server/outgoing-pdu.ts";
import type { SessionFactory } from "../../../server/parrot-server.ts";
import { type HandlerResult, Session } from "../../../server/session.ts";
import { startVariant } from "./start-variant.ts";

const LOAD = 50;
const live = new Set<Session>();

class ReorderingSession extends Session {
  private chats = 0;
  private held: OutgoingPdu | undefined;

  protected override handleChat(pdu: PduOfType<"CHAT">): HandlerResult {
    const result = super.handleChat(pdu);
    this.chats++;
    if (live.size < LOAD || result.reply === undefined) return result;
    if (this.held === undefined && this.chats % 5 === 0) {
      this.held = result.reply;
      return { outcome: result.outcome };
    }
    if (this.held !== undefined) {
      const late = this.held;
      this.held = undefined;
      this.send(result.reply);
      this.send(late);
      return { outcome: result.outcome };
    }
    return result;
  }
}

const sessionFactory: SessionFactory = (id, channel, context) => {
  const session = new ReorderingSession(id, channel, {
    ...context,
    onClosed: (closed) => {
      live.delete(closed);
      context.onClosed(closed);
    },
  });
  live.add(session);
  return session;
};

await startVariant("reorders-echoes-under-load", () => ({ sessionFactory }));
