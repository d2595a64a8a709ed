/**
 * Where each session-scale client connects from. Linux routes all of 127.0.0.0/8 to the loopback device,
 * so sessions spread over 127.0.0.2, 127.0.0.3, ... are not capped by the ~28 000 ephemeral ports of a
 * single source address (SESSIONS=100000 needs four addresses).
 *
 * The port is chosen here too, not by the kernel: bind() with port 0 searches for a free port and slows to
 * milliseconds per call once thousands of that address's ports sit in TIME_WAIT (measured: 8000 connects
 * took 1 s on a clean address, 46 s after one earlier run), which would turn "time to log N in" into a
 * measurement of the kernel's port search. Explicit ports below the ephemeral range never collide with
 * ports the kernel hands out, and libuv binds with SO_REUSEADDR, so a port left in TIME_WAIT by an earlier
 * run (towards a different server port) is reusable at once.
 */

/** First port used on each source address; the range stays below Linux's ephemeral range (32768+). */
const FIRST_PORT = 10_000;
export const SESSIONS_PER_ADDRESS = 20_000;

export interface SourceEndpoint {
  localAddress: string;
  localPort: number;
}

function address(addressIndex: number): string {
  const host = addressIndex + 2;
  return `127.0.${host >> 8}.${host & 255}`;
}

/** The source address and port of session `index` (0-based, unique per session of one run). */
export function sourceEndpoint(index: number): SourceEndpoint {
  return {
    localAddress: address(Math.floor(index / SESSIONS_PER_ADDRESS)),
    localPort: FIRST_PORT + (index % SESSIONS_PER_ADDRESS),
  };
}

/** Every source address `sessions` sessions use, for the report. */
export function sourceAddresses(sessions: number): string[] {
  return Array.from({ length: Math.ceil(sessions / SESSIONS_PER_ADDRESS) }, (_, i) => address(i));
}
