/**
 * What the user is told when the server refuses a login. The client decides from the status
 * alone (REQ-5.9): the server's text is the server's words, shown quoted after the client's own
 * sentence and never spliced into it (a text of "OK" must not read "user1 is OK").
 */
import { ClientFailure } from "../../client/client-failure.ts";
import type { ClientSession } from "../../client/client-session.ts";
import type { LoginResponsePdu } from "../../generated/index.ts";

export function loginRefusal(user: string, answer: LoginResponsePdu): ClientFailure {
  if (answer.status === "ALREADY_LOGGED_IN") {
    const sentence = `login refused: ${user} is already logged in from another location`;
    return new ClientFailure("ALREADY_LOGGED_IN", withServerText(sentence, answer.text));
  }
  const sentence = "login refused: bad username or password";
  return new ClientFailure("LOGIN_REFUSED", withServerText(sentence, answer.text));
}

/** The sentence, then the server's text quoted, unless it is empty or says just the same. */
function withServerText(sentence: string, text: string): string {
  if (text === "" || sentence.endsWith(text)) return sentence;
  return `${sentence} (the server said: ${JSON.stringify(text)})`;
}

/**
 * Ends a session whose login was refused, the way the protocol says (LOGOUT, so the server logs a
 * logout rather than a dropped client), and throws the refusal. A server that ends the session
 * itself (ERROR TOO_MANY_LOGIN_ATTEMPTS) said why: its code and words are added.
 */
export async function leaveRefused(session: ClientSession, refusal: ClientFailure): Promise<never> {
  const ending = await session.logout().then(
    () => undefined,
    (error: unknown) => error,
  );
  if (ending instanceof ClientFailure && ending.reason === refusal.reason) {
    throw new ClientFailure(refusal.reason, `${refusal.message}; ${ending.message}`);
  }
  throw refusal;
}
