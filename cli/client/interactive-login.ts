/**
 * Interactive login: asks for the username and password first, and only then connects (the
 * server's handshake timer does not run while a person types) and logs in. A refused login can
 * be retried on the same connection, up to the server's limit of failures per connection
 * (LIMITS.maxLoginAttempts); after the last one the client does not offer to try again, it leaves
 * with the server's answer. If the server closed the connection while the user typed a retry
 * (its handshake timeout), the client connects again before trying.
 */
import type { ReadStream, WriteStream } from "node:tty";
import type { ClientSession } from "../../client/client-session.ts";
import { LIMITS, MAX_STRING_BYTES } from "../../generated/index.ts";
import { PromptCancelled, promptLine } from "../terminal-prompt.ts";
import type { ExitReason } from "./exit-codes.ts";
import { leaveRefused, loginRefusal } from "./login-refusal.ts";

export interface Terminal {
  input: ReadStream;
  output: WriteStream;
}

export type LoginOutcome =
  /** `password` is kept for --reconnect, which logs in again with it. */
  | { kind: "logged-in"; session: ClientSession; user: string; password: string }
  /** Ctrl+C or Ctrl+D at a prompt; `session` is the connection to leave, if one was made. */
  | { kind: "gave-up"; session: ClientSession | undefined; lastRefusal: ExitReason | undefined };

export interface Credentials {
  user: string | undefined;
  password: string | undefined;
}

export async function logInInteractively(
  preset: Credentials,
  terminal: Terminal,
  connect: () => Promise<ClientSession>,
): Promise<LoginOutcome> {
  const prompt = (text: string, echo: boolean) =>
    promptLine(terminal.input, terminal.output, text, { echo });
  const say = (line: string) => terminal.output.write(`${line}\n`);
  let session: ClientSession | undefined;
  let failures = 0;
  let lastRefusal: ExitReason | undefined;
  let presetUser = preset.user;
  let presetPassword = preset.password;
  for (;;) {
    let user: string;
    let password: string;
    try {
      user = presetUser ?? (await prompt("username: ", true));
      password = presetPassword ?? (await prompt("password: ", false));
    } catch (error) {
      if (!(error instanceof PromptCancelled)) throw error;
      return { kind: "gave-up", session, lastRefusal };
    }
    // Preset credentials are tried once; after a refusal the user types them.
    presetUser = undefined;
    presetPassword = undefined;
    const tooLong = overLimit(user, password);
    if (tooLong !== undefined) {
      say(tooLong);
      continue;
    }
    if (session?.hasEnded === true) {
      const why = await session.ended;
      say(
        `the connection closed while you typed (${why?.message ?? "by the server"}); reconnecting`,
      );
      session = undefined;
    }
    if (session === undefined) {
      session = await connect();
      failures = 0;
    }
    const answer = await session.login(user, password);
    if (answer.status === "OK") return { kind: "logged-in", session, user, password };
    const refusal = loginRefusal(user, answer);
    lastRefusal = refusal.reason;
    if (answer.status === "BAD_CREDENTIALS") failures += 1;
    // No "try again" after the last failure allowed, nor once the server has said so itself.
    const ended = session.hasEnded ? await session.ended : undefined;
    if (failures >= LIMITS.maxLoginAttempts || ended?.reason === "LOGIN_REFUSED") {
      await leaveRefused(session, refusal);
    }
    say(answer.status === "BAD_CREDENTIALS" ? `${refusal.message}; try again` : refusal.message);
  }
}

function overLimit(user: string, password: string): string | undefined {
  const limits = MAX_STRING_BYTES.LOGIN_REQUEST;
  if (Buffer.byteLength(user, "utf8") > limits.username) {
    return `a username is at most ${limits.username} bytes`;
  }
  if (Buffer.byteLength(password, "utf8") > limits.password) {
    return `a password is at most ${limits.password} bytes`;
  }
  return undefined;
}
