/**
 * The history context of a version-3 session. classify() lets a version-3 type through only on a
 * connection that negotiated 3, which the server offers only with a history context: a handler
 * that finds none is a bug, and throws (INTERNAL_ERROR for that connection).
 */
import type { HandlerContext } from "../session-context.ts";
import type { HistoryContext } from "./history-context.ts";

export function version3History(session: HandlerContext): HistoryContext {
  const history = session.shared.history;
  if (history === undefined) throw new Error("a version-3 request on a server without history");
  return history;
}
