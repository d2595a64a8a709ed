/** Planted faults: login and lifecycle. See ../corpus.ts. */
import { LOGIN, type Mutant, PARTICIPATION, p, SESSION } from "./shared.ts";

export const LOGIN_AND_LIFECYCLE: Mutant[] = [
  // --- login (§5) ---
  {
    id: "three-strikes-off-by-one",
    breaks: "REQ-5.7",
    fault: "TOO_MANY_LOGIN_ATTEMPTS comes after the fourth failure, not the third",
    patches: [
      p(
        LOGIN,
        "if (failedLogins >= LIMITS.maxLoginAttempts) {",
        "if (failedLogins > LIMITS.maxLoginAttempts) {",
      ),
    ],
  },
  {
    id: "already-logged-in-counts-as-attempt",
    breaks: "REQ-5.11",
    fault: "ALREADY_LOGGED_IN answers count towards the limit of failed logins",
    patches: [
      p(
        LOGIN,
        "  if (lease === null) {\n",
        '  if (lease === null) {\n    session.failedLogins += 1;\n    if (session.failedLogins >= LIMITS.maxLoginAttempts) {\n      return {\n        outcome: "ALREADY_LOGGED_IN",\n        reply: { type: "LOGIN_RESPONSE", status: "ALREADY_LOGGED_IN", text: LOGIN_TEXTS.ALREADY_LOGGED_IN },\n        followUpError: { code: "TOO_MANY_LOGIN_ATTEMPTS", detail: "too many attempts" },\n      };\n    }\n',
      ),
    ],
  },
  {
    id: "in-use-revealed-to-wrong-password",
    breaks: "REQ-5.4",
    fault: "a wrong password for a user who is logged in is answered ALREADY_LOGGED_IN",
    patches: [
      p(
        LOGIN,
        "  if (!valid) {",
        "  if (!valid && session.shared.directory.find(username) === undefined) {",
      ),
    ],
  },
  {
    id: "usernames-folded-to-lower-case",
    breaks: "REQ-5.10",
    fault: "usernames are compared case-insensitively",
    patches: [
      p(
        LOGIN,
        "await authenticator.verify(username, password, from);",
        "await authenticator.verify(username.toLowerCase(), password, from);",
      ),
    ],
  },
  {
    id: "usernames-trimmed",
    breaks: "REQ-5.10",
    fault: "usernames are trimmed before the lookup",
    patches: [
      p(
        LOGIN,
        "await authenticator.verify(username, password, from);",
        "await authenticator.verify(username.trim(), password, from);",
      ),
    ],
  },
  {
    id: "usernames-normalised",
    breaks: "REQ-5.10",
    fault: "usernames are Unicode-normalised (NFC) before the lookup",
    patches: [
      p(
        LOGIN,
        "await authenticator.verify(username, password, from);",
        'await authenticator.verify(username.normalize("NFC"), password, from);',
      ),
    ],
  },
  {
    id: "passwords-folded-to-lower-case",
    breaks: "REQ-5.10",
    fault: "passwords are compared case-insensitively",
    patches: [
      p(
        LOGIN,
        "await authenticator.verify(username, password, from);",
        "await authenticator.verify(username, password.toLowerCase(), from) || await authenticator.verify(username, password, from);",
      ),
    ],
  },
  {
    id: "login-lease-case-insensitive",
    breaks: "REQ-5.10",
    fault: "the one-login-per-user lease is keyed on the lower-cased name",
    patches: [
      p(
        LOGIN,
        "const lease = await logins.acquire(username);",
        "const lease = await logins.acquire(username.toLowerCase());",
      ),
    ],
  },
  {
    id: "already-logged-in-text",
    breaks: "REQ-5.5",
    fault: "ALREADY_LOGGED_IN says something else than the spec's text",
    patches: [
      p(
        LOGIN,
        'ALREADY_LOGGED_IN: "already logged in from another location",',
        'ALREADY_LOGGED_IN: "user busy",',
      ),
    ],
  },
  {
    id: "login-freed-late",
    breaks: "REQ-9.1",
    fault: "the login is freed a moment after the close, not before it",
    patches: [
      p(
        PARTICIPATION,
        "      const released = lease.release();",
        "      const released: void | Promise<void> = void setTimeout(() => lease.release(), 300);",
      ),
    ],
  },
  {
    id: "login-not-freed-on-reset",
    breaks: "REQ-5.6",
    fault: "a connection the client resets keeps its login",
    patches: [
      p(
        SESSION,
        "  private finish(reason: string): void {\n    this.enterClosing(reason, false);",
        "  private finish(reason: string): void {\n    if (!this.isClosing) this.lease = null;\n    this.enterClosing(reason, false);",
      ),
    ],
  },
  // --- lifecycle (§9) ---
  {
    id: "shutdown-without-error",
    breaks: "REQ-9.4",
    fault: "a shutdown closes every connection without ERROR SERVER_SHUTDOWN",
    patches: [
      p(
        SESSION,
        '    this.sendError("SERVER_SHUTDOWN", "the server is shutting down", { quiet: true });',
        '    this.beginClose("shutdown", { quiet: true });',
      ),
    ],
  },
  {
    id: "server-full-not-enforced",
    breaks: "REQ-9.5",
    fault: "the connection limit is off by one: one connection more is served",
    patches: [
      p(
        "server/parrot-server.ts",
        "if (sessions.size >= maxConnections) {",
        "if (sessions.size > maxConnections) {",
      ),
    ],
  },
  {
    id: "server-full-in-version-1",
    breaks: "REQ-9.5",
    fault: "SERVER_FULL carries header version 1",
    patches: [
      p(
        "server/parrot-server.ts",
        "channel.send(withHeaderVersion(errorPdu(code, detail), null));",
        "channel.send(withHeaderVersion(errorPdu(code, detail), 1));",
      ),
    ],
  },
  {
    id: "logout-answered",
    breaks: "REQ-9.2",
    fault: "LOGOUT is answered with a PONG before the close",
    patches: [
      p(
        "server/handlers/logout.ts",
        '  session.log.info({ user: session.user }, "logout");',
        '  session.log.info({ user: session.user }, "logout");\n  session.send({ type: "PONG", token: 0 });',
      ),
    ],
  },
  {
    id: "version-1-sessions-never-time-out",
    breaks: "REQ-7.4",
    fault:
      "sessions that negotiated version 1 have no ping deadline (only version 2 ones are timed out)",
    patches: [
      p(
        SESSION,
        "    if (this.isClosing) return null;\n",
        "    if (this.isClosing || this.negotiatedVersion === 1) return null;\n",
      ),
    ],
  },
  {
    id: "password-nul-padding",
    breaks: "REQ-5.12",
    fault:
      "the bytes given are hashed as they are, so scrypt's HMAC zero padding makes 'pass1' and 'pass1\\0' one password",
    patches: [
      p(
        "server/password-hash.ts",
        "return timingSafeEqual(candidate, stored.hash) && !password.includes(NUL);",
        "return timingSafeEqual(candidate, stored.hash);",
      ),
    ],
  },
];
