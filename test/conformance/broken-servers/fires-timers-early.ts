/**
 * Broken on purpose: every timer fires about 250 ms before its deadline. The timeout scheduler is the
 * reference TimeoutWheel, but its clock runs 250 ms ahead of the sessions' clock, so ping timeouts
 * (REQ-7.4), handshake timeouts (REQ-7.9) and typing expiries (REQ-12.25) all come early; everything
 * else is the reference. The suite measures from its own send, which the server's receipt can only
 * follow, so it must call these early even with a generous --slack (which widens only the late side).
 *
 * The typing timeout is shortened to the launcher's {typing_timeout} (2 s, passed as
 * --typing-timeout to the suite) so the expiry scenarios take seconds; the CLI has no flag for it.
 */
import { performance } from "node:perf_hooks";
import { TimeoutWheel } from "../../../server/timeout-wheel.ts";
import { startVariant } from "./start-variant.ts";

const EARLY_MS = 250;
const TYPING_TIMEOUT_MS = 2000;

await startVariant("fires-timers-early", () => ({
  // A fine tick, so the wheel's own lateness (up to one tick) cannot make up for the early clock.
  timeouts: new TimeoutWheel({ tickMs: 10, now: () => performance.now() + EARLY_MS }),
  typingTimeoutMs: TYPING_TIMEOUT_MS,
}));
