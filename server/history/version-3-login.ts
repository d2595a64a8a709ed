/**
 * What follows a version-3 LOGIN_RESPONSE OK (REQ-15.14, REQ-15.20): SESSION_INFO with the
 * server's limits and how many stored direct messages follow, those messages oldest first, and
 * only then the login becomes visible to others (directory, presence ONLINE). It runs in the
 * user's recipient lane, where direct messages to it are queued, so each queued message is either
 * taken here or, once the login is visible, delivered live: none waits for a later login.
 */
import type { HandlerContext } from "../session-context.ts";
import { type HistoryContext, recipientLane } from "./history-context.ts";
import { directMessageV3 } from "./stamped-pdus.ts";

export function deliverStoredThenTakePart(
  session: HandlerContext,
  history: Pick<HistoryContext, "store" | "pageSize" | "lanes">,
  user: string,
): Promise<unknown> {
  return history.lanes.run(recipientLane(user), async () => {
    // Taken only by a session that is still there to receive what it takes.
    if (session.isClosing) return;
    const { messages, dropped } = await history.store.takeOffline(user);
    if (session.isClosing) {
      // Ended while the queue was taken: put it back, in order (this lane holds the queue).
      for (const message of messages) await history.store.enqueueOffline(user, message);
      return;
    }
    const { historyCount, historyAgeMs, offlineQueue } = history.store.limits;
    session.send({
      type: "SESSION_INFO",
      maxPage: history.pageSize,
      historyCount,
      historyAgeS: Math.ceil(historyAgeMs / 1000),
      offlineQueue,
      storedCount: messages.length,
      droppedCount: Math.min(dropped, 0xffffffff),
    });
    for (const message of messages) session.send(directMessageV3(message));
    await session.becomeParticipant();
  });
}
