import { ERRORS, type ErrorPdu } from "../../generated/index.ts";
import { ClientFailure } from "../client-failure.ts";
import type { ReceiveContext } from "./receive-context.ts";

/**
 * ERROR from the server: a notice if its code does not close, else the end of the session. The
 * line shows the code as a number and a name, and the server's text quoted as the server's: it
 * is the peer's words, never part of the client's own sentence.
 */
export function receiveServerError(pdu: ErrorPdu, { session }: ReceiveContext): void {
  const rule = ERRORS[pdu.code];
  const shown =
    `server error ${rule.code} ${pdu.code}` +
    (pdu.text === "" ? "" : ` (the server said: ${JSON.stringify(pdu.text)})`);
  if (!rule.closes) {
    session.events.notice(shown);
    return;
  }
  const reason = pdu.code === "TOO_MANY_LOGIN_ATTEMPTS" ? "LOGIN_REFUSED" : "CONNECTION_LOST";
  session.end(new ClientFailure(reason, shown));
}
