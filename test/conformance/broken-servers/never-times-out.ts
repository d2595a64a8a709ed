/**
 * Broken on purpose: never times a connection out. The timeout scheduler ignores every session, so
 * silent sessions are never closed with PING_TIMEOUT (REQ-7.4) and never-authenticated ones never get
 * HANDSHAKE_TIMEOUT (REQ-7.9); everything else is the reference.
 */
import type { TimeoutScheduler } from "../../../server/timeout-wheel.ts";
import { startVariant } from "./start-variant.ts";

const forgetful: TimeoutScheduler = {
  track() {},
  reschedule() {},
  untrack() {},
  stop() {},
};

await startVariant("never-times-out", () => ({ timeouts: forgetful }));
