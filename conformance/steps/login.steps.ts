/**
 * Login, the one-live-login rule and how a login is freed (spec/README.md §5, §9).
 */
import { isDeepStrictEqual } from "node:util";
import { Then, When } from "@cucumber/cucumber";
import { encode, LIMITS, type LoginStatusName } from "../../generated/index.ts";
import { describePdu } from "../support/raw-peer.ts";
import type { ParrotWorld } from "../support/world.ts";

const WRONG_PASSWORD = "not-the-password";

When(
  "{string} logs in as {string}",
  async function (this: ParrotWorld, name: string, user: string) {
    await this.session(name).login(user, this.account(user).password);
  },
);

When(
  "{string} logs in as {string} with the password {string}",
  async function (this: ParrotWorld, name: string, user: string, password: string) {
    await this.session(name).login(user, password);
  },
);

When(
  "{string} logs in as the unknown user with the password {string}",
  async function (this: ParrotWorld, name: string, password: string) {
    await this.session(name).login(this.unknownUser, password);
  },
);

When(
  "{string} logs in as {string} {int} times",
  async function (this: ParrotWorld, name: string, user: string, times: number) {
    const session = this.session(name);
    session.attempts = [];
    for (let i = 0; i < times; i++) {
      session.attempts.push(await session.login(user, this.account(user).password));
    }
  },
);

// REQ-5.7: the server answers each failure, and after the third sends the ERROR right behind that
// LOGIN_RESPONSE; the ERROR is judged by the next step.
When(
  "{string} fails to log in as {string} as many times as the spec allows",
  async function (this: ParrotWorld, name: string, user: string) {
    const session = this.session(name);
    session.attempts = [];
    for (let i = 0; i < LIMITS.maxLoginAttempts; i++) {
      session.attempts.push(await session.login(user, WRONG_PASSWORD));
    }
  },
);

Then(
  "each of those attempts by {string} was refused with {word}",
  function (this: ParrotWorld, name: string, status: string) {
    const session = this.session(name);
    const wrong = session.attempts.filter((response) => response.status !== status);
    if (session.attempts.length === 0 || wrong.length > 0) {
      session.fail(
        `expected every attempt to be refused with ${status}; got ` +
          (session.attempts.map((response) => response.status).join(", ") || "no answers"),
      );
    }
  },
);

Then("{string} is logged in", function (this: ParrotWorld, name: string) {
  const session = this.session(name);
  if (session.lastLogin?.status !== "OK") {
    session.fail(
      `expected LOGIN_RESPONSE OK, got ${session.lastLogin ? describePdu(session.lastLogin) : "nothing"}`,
    );
  }
});

Then("{string} is answered LOGIN_RESPONSE OK", async function (this: ParrotWorld, name: string) {
  const session = this.session(name);
  const response = await session.readLoginResponse();
  if (response.status !== "OK")
    session.fail(`expected LOGIN_RESPONSE OK, got ${describePdu(response)}`);
});

Then("{string} is refused with {word}", function (this: ParrotWorld, name: string, status: string) {
  const session = this.session(name);
  const expected = status as LoginStatusName;
  if (session.lastLogin?.status !== expected) {
    session.fail(
      `expected LOGIN_RESPONSE ${expected}, got ${session.lastLogin ? describePdu(session.lastLogin) : "nothing"}`,
    );
  }
});

// REQ-5.2: the two answers must not tell an unknown user from a wrong password, in status or in text.
Then(
  "the refusals of {string} and {string} are identical",
  function (this: ParrotWorld, first: string, second: string) {
    const a = this.session(first);
    const b = this.session(second);
    const strip = (pdu: typeof a.lastLogin) => pdu && { status: pdu.status, text: pdu.text };
    if (!isDeepStrictEqual(strip(a.lastLogin), strip(b.lastLogin))) {
      a.fail(
        `a wrong password and an unknown user were answered differently: ` +
          `${JSON.stringify(strip(a.lastLogin))} vs ${JSON.stringify(strip(b.lastLogin))}`,
        [b],
      );
    }
  },
);

Then(
  "the refusal of {string} says {string}",
  function (this: ParrotWorld, name: string, phrase: string) {
    const session = this.session(name);
    const text = session.lastLogin?.text ?? "";
    if (!text.toLowerCase().includes(phrase.toLowerCase())) {
      session.fail(`the LOGIN_RESPONSE text ${JSON.stringify(text)} does not say "${phrase}"`);
    }
  },
);

When(
  "{string} sends a LOGIN_REQUEST for {string} before negotiating",
  function (this: ParrotWorld, name: string, user: string) {
    this.session(name).sendLogin(user, this.account(user).password, 0);
  },
);

When(
  "{string} sends a LOGIN_REQUEST for {string}",
  function (this: ParrotWorld, name: string, user: string) {
    this.session(name).sendLogin(user, this.account(user).password);
  },
);

Then(
  "a connection {string} can log in as {string}",
  async function (this: ParrotWorld, name: string, user: string) {
    await this.loggedIn(name, user);
  },
);

// Proves over the wire that the login is still held: a fresh connection with the right password must be
// told ALREADY_LOGGED_IN.
Then(
  "{string} still holds the login of {string}",
  async function (this: ParrotWorld, name: string, user: string) {
    const probe = await this.negotiated(`${user} probe`);
    const response = await probe.login(user, this.account(user).password);
    if (response.status !== "ALREADY_LOGGED_IN") {
      probe.fail(
        `"${name}" should still hold ${user}'s login, yet a new login got ${describePdu(response)}`,
        [this.session(name)],
      );
    }
  },
);

When("{string} logs out", async function (this: ParrotWorld, name: string) {
  await this.session(name).logout();
});

// REQ-9.2: everything after LOGOUT in the same write must be ignored, and nothing sent in reply.
When(
  "{string} sends LOGOUT and, in the same write, a PING and a CHAT",
  function (this: ParrotWorld, name: string) {
    const session = this.session(name);
    const version = session.headerVersion;
    session.peer.sendRaw(
      Buffer.concat([
        encode({ type: "LOGOUT", version }),
        encode({ type: "PING", version, token: 3 }),
        encode({ type: "CHAT", version, messageId: 3, text: "after logout" }),
      ]),
      "LOGOUT + PING token=3 + CHAT 3, one write",
    );
  },
);

When(
  "{string} closes its connection abruptly with a reset",
  function (this: ParrotWorld, name: string) {
    this.session(name).peer.reset();
  },
);

When(
  "{string} closes its connection cleanly without LOGOUT",
  function (this: ParrotWorld, name: string) {
    const session = this.session(name);
    session.peer.endOutput();
  },
);

// REQ-5.6: a close the server observes frees the login; one it does not observe (a lost FIN) holds it at
// most until the ping timeout reaps the old session. So retry ALREADY_LOGGED_IN (which does not count as
// a failed attempt) until that window has passed, and no longer.
Then(
  "a connection {string} can log in as {string} within the ping timeout and its tolerance",
  async function (this: ParrotWorld, name: string, user: string) {
    const previous = [...this.sessions.values()].find((s) => s.user === user && s.name !== name);
    if (!previous?.advertised) throw new Error(`scenario bug: nobody held ${user}'s login`);
    const { pingTimeoutMs, pingIntervalMs } = previous.advertised;
    const windowEnd =
      Math.max(previous.peer.lastFrameSentAt, previous.peer.lastReceivedAt) +
      pingTimeoutMs +
      this.parameters.timeoutToleranceMs +
      this.parameters.slackMs;
    this.requireWait(windowEnd - this.now(), "the half-open window (ping timeout + tolerance)");
    previous.user = undefined; // its connection is gone; cleanup must not try to log it out
    // Retries are paced, not synchronised: there is no event to wait for on a server that has not yet
    // noticed the close, so poll at a small fraction of the advertised interval.
    const pace = Math.max(10, pingIntervalMs / 20);
    let refusals = 0;
    let session = await this.negotiated(name);
    for (;;) {
      if (session.peer.closed) session = await this.negotiated(name);
      const response = await session.login(user, this.account(user).password);
      if (response.status === "OK") return;
      if (response.status !== "ALREADY_LOGGED_IN") {
        session.fail(`expected LOGIN_RESPONSE OK, got ${describePdu(response)}`, [previous]);
      }
      refusals++;
      if (this.now() > windowEnd) {
        session.fail(
          `${user}'s login was still held ${Math.round(this.now() - previous.peer.lastFrameSentAt)} ms ` +
            `after its connection closed (${refusals} ALREADY_LOGGED_IN answers); the server must free ` +
            `it once it sees the close, and by the ping timeout (${pingTimeoutMs} ms) plus ` +
            `${this.parameters.timeoutToleranceMs} ms at the latest`,
          [previous],
        );
      }
      await new Promise((resolve) => setTimeout(resolve, pace));
    }
  },
);
