import type { SessionCore } from "./receive-context.ts";

/** An answer whose id matches no outstanding request: shown, not fatal (the server may be late). */
export function ignoredAnswer(session: SessionCore, what: string, id: number): void {
  session.events.notice(`ignored ${what} ${id}, which is not outstanding`);
}
