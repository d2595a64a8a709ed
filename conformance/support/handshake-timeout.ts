/**
 * The handshake timeout (REQ-7.9) is not advertised on the wire: the suite knows it only from
 * --handshake-timeout or the launcher's {handshake_timeout}; without it, its scenarios are unsupported.
 */
import { Unsupported } from "./unsupported.ts";
import type { ParrotWorld } from "./world.ts";

/** The server's handshake timeout in ms; unsupported when unknown or longer than --max-timer. */
export function knownHandshakeTimeout(world: ParrotWorld): number {
  const handshake = world.parameters.handshakeTimeoutMs;
  if (handshake === null) {
    throw new Unsupported(
      "the handshake timeout is not advertised on the wire; pass --handshake-timeout SECONDS to judge it",
    );
  }
  world.requireWait(
    handshake + world.parameters.timeoutToleranceMs,
    "waiting out the handshake timeout",
  );
  return handshake;
}
