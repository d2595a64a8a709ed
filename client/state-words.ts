import type { StateName } from "../generated/index.ts";

/** Where the session was, in words for a person rather than the spec's state names. */
export function describeState(state: StateName): string {
  switch (state) {
    case "CONNECTED":
      return "before agreeing on a protocol version";
    case "NEGOTIATED":
      return "before the login completed";
    case "AUTHENTICATED":
      return "while logged in";
    default:
      return "after the session ended";
  }
}
