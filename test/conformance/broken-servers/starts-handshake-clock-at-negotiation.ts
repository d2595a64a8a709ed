/**
 * Broken on purpose: the handshake clock starts when the connection negotiates, not when it opens
 * (REQ-7.9, REQ-7.11). A client that negotiates at once cannot tell; one that waits before it
 * negotiates is closed that much too late.
 */
import { performance } from "node:perf_hooks";
import { SERVER_HANDLERS } from "../../../server/handlers/index.ts";
import type { ServerHandlerTable } from "../../../server/session-context.ts";
import type { Expirable } from "../../../server/timeout-wheel.ts";
import { startVariant } from "./start-variant.ts";

const restartingVersionRequest: ServerHandlerTable["VERSION_REQUEST"] = (pdu, session) => {
  // The reference keeps the connect time private; this fixture reaches in to get the bug.
  (session as unknown as { openedAt: number }).openedAt = performance.now();
  session.shared.timeouts.reschedule(session as unknown as Expirable);
  return SERVER_HANDLERS.VERSION_REQUEST(pdu, session);
};

await startVariant("starts-handshake-clock-at-negotiation", () => ({
  handlers: { VERSION_REQUEST: restartingVersionRequest },
}));
