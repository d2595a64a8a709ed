/**
 * LOGIN_REQUEST (spec §5): the password check (scrypt, async), then the user's one live login
 * (a lease, async too). The session holds this connection's later PDUs until the result is in.
 */
import { LIMITS, type PduOfType } from "../../generated/index.ts";
import { deliverStoredThenTakePart } from "../history/version-3-login.ts";
import type { HandlerContext, HandlerResult } from "../session-context.ts";

export const LOGIN_TEXTS = {
  OK: "welcome",
  BAD_CREDENTIALS: "unknown user or wrong password",
  ALREADY_LOGGED_IN: "already logged in from another location",
} as const;

export async function loginRequest(
  pdu: PduOfType<"LOGIN_REQUEST">,
  session: HandlerContext,
): Promise<HandlerResult | undefined> {
  const { username, password } = pdu;
  const { authenticator, logins } = session.shared;
  // The peer's address lets the login throttle count guesses per source (REQ-10.8).
  const from = { remoteAddress: session.remoteAddress };
  const valid = await authenticator.verify(username, password, from);
  if (session.isClosing) return undefined;
  if (!valid) {
    session.failedLogins += 1;
    const failedLogins = session.failedLogins;
    session.log.info({ user: username, reason: "BAD_CREDENTIALS", failedLogins }, "login rejected");
    const result: HandlerResult = {
      outcome: "BAD_CREDENTIALS",
      reply: {
        type: "LOGIN_RESPONSE",
        status: "BAD_CREDENTIALS",
        text: LOGIN_TEXTS.BAD_CREDENTIALS,
      },
    };
    if (failedLogins >= LIMITS.maxLoginAttempts) {
      result.followUpError = {
        code: "TOO_MANY_LOGIN_ATTEMPTS",
        detail: `${failedLogins} failed logins on this connection`,
      };
    }
    return result;
  }
  const lease = await logins.acquire(username);
  if (session.isClosing) {
    // The connection ended while the lease was being taken: nobody will release it but us.
    await lease?.release();
    return undefined;
  }
  if (lease === null) {
    session.log.info({ user: username, reason: "ALREADY_LOGGED_IN" }, "login rejected");
    return {
      outcome: "ALREADY_LOGGED_IN",
      reply: {
        type: "LOGIN_RESPONSE",
        status: "ALREADY_LOGGED_IN",
        text: LOGIN_TEXTS.ALREADY_LOGGED_IN,
      },
    };
  }
  session.holdLogin(lease);
  session.log.info({ user: username }, "login ok");
  return {
    outcome: "OK",
    reply: { type: "LOGIN_RESPONSE", status: "OK", text: `${LOGIN_TEXTS.OK}, ${username}` },
    // Visible to others only once the LOGIN_RESPONSE is out: a DIRECT_MESSAGE must never reach
    // a client that has not yet seen its login succeed. A version-3 session first gets
    // SESSION_INFO and its stored direct messages (spec §15.5).
    fanOut: () => {
      const history = session.shared.history;
      if (session.negotiatedVersion !== 3 || history === undefined)
        return session.becomeParticipant();
      return deliverStoredThenTakePart(session, history, username);
    },
  };
}
