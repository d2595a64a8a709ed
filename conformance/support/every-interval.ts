/**
 * Keeping a session busy at the pace the server advertised (REQ-7.1's interval), for the scenarios
 * that prove a kind of traffic keeps the ping-timeout clock from firing (REQ-7.3, REQ-7.5).
 */
import type { ClientSession } from "./client-session.ts";
import type { ParrotWorld } from "./world.ts";

/**
 * Does `action` at every advertised ping interval (paced from the start, so slow replies do not stretch
 * the interval) until `times` ping timeouts have passed. Every action must succeed: the server may not
 * time the session out meanwhile.
 */
export async function everyInterval(
  world: ParrotWorld,
  name: string,
  times: number,
  action: (session: ClientSession) => Promise<void>,
): Promise<void> {
  const session = world.session(name);
  const { pingIntervalMs, pingTimeoutMs } = world.advertisedTimers(name);
  const duration = times * pingTimeoutMs;
  world.requireWait(duration, `keeping a session busy for ${times} ping timeouts`);
  const start = world.now();
  for (let tick = 0; world.now() - start < duration; tick++) {
    await action(session);
    const next = start + (tick + 1) * pingIntervalMs;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - world.now())));
  }
}
