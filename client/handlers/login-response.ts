import type { LoginResponsePdu } from "../../generated/index.ts";
import type { ReceiveContext } from "./receive-context.ts";

/** LOGIN_RESPONSE: the answer to login(), whatever its status; the caller decides what next. */
export function receiveLoginResponse(pdu: LoginResponsePdu, context: ReceiveContext): void {
  const { session } = context;
  if (!session.loginAnswered(pdu)) {
    session.refuse("UNEXPECTED_MESSAGE", "LOGIN_RESPONSE without a LOGIN_REQUEST");
    return;
  }
  session.enter(context.next);
}
