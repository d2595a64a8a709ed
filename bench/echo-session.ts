/**
 * What the load generator drives: one connection, already in the state where it can bounce a message off
 * the server (for Parrot: negotiated and logged in). Callback-based rather than Promise-based because the
 * generator runs hundreds of thousands of round trips per second on cores it shares with the server.
 */

/** The 64-byte message every round trip carries (ASCII, so 64 characters are 64 bytes on every target). */
export const ECHO_TEXT = "parrot bench: sixty-four bytes of chat text, echoed back to me!!";

export interface EchoSession {
  /** Sends one message; `done` runs once its echo is back, or with the reason it never will be. */
  roundTrip(done: (error?: Error) => void): void;
  /** Ends the session the way a well-behaved client does (Parrot: LOGOUT and wait for EOF). */
  close(): Promise<void>;
}

export type EchoTargetName = "parrot" | "raw" | "mosquitto";

export const ECHO_TARGETS: readonly EchoTargetName[] = ["parrot", "raw", "mosquitto"];

export function isEchoTargetName(name: string): name is EchoTargetName {
  return (ECHO_TARGETS as readonly string[]).includes(name);
}
