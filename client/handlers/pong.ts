import type { PongPdu } from "../../generated/index.ts";
import type { ReceiveContext } from "./receive-context.ts";

/** PONG: life (if it answers a PING of ours), and maybe the logout barrier's answer. */
export function receivePong(pdu: PongPdu, { session }: ReceiveContext): void {
  session.pong(pdu.token);
}
