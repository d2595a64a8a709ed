/**
 * The login half of a client scenario: the client's LOGIN_REQUEST and the scripted server's answer,
 * whose text may say the opposite of its status (REQ-5.9), or come late while the client keeps pinging.
 */
import { performance } from "node:perf_hooks";
import { When } from "@cucumber/cucumber";
import type { LoginStatusName } from "../../../generated/index.ts";
import type { ClientWorld } from "../support/client-world.ts";
import { describeEvent } from "../support/scripted-session.ts";

async function loginRequest(world: ClientWorld): Promise<void> {
  const request = await world.session.expect(
    "LOGIN_REQUEST",
    world.parameters.replyTimeoutMs,
    "after the VERSION_RESPONSE",
  );
  if (request.username !== world.user || request.password !== world.password) {
    world.session.fail(
      `the client logged in as "${request.username}" with password "${request.password}", not as the ` +
        `{user} "${world.user}" with the {password} "${world.password}" it was given`,
    );
  }
}

function answer(world: ClientWorld, status: LoginStatusName, text: string): void {
  world.loginAnswer = { status, text };
  const version = world.session.version;
  world.session.send({ type: "LOGIN_RESPONSE", version, status, text });
  // A version-3 server says what it keeps right after the OK (REQ-15.14); nothing is stored here.
  if (status === "OK" && version === 3) {
    world.session.send({
      type: "SESSION_INFO",
      version,
      maxPage: world.maxPage,
      historyCount: 500,
      historyAgeS: 0,
      offlineQueue: 100,
      storedCount: 0,
      droppedCount: 0,
    });
  }
}

When("the client logs in with its user and password", async function (this: ClientWorld) {
  await loginRequest(this);
});

When("the client has logged in", async function (this: ClientWorld) {
  await loginRequest(this);
  answer(this, "OK", `welcome, ${this.user}`);
});

When(
  "the scripted server answers the login {word} with the text {string}",
  function (this: ClientWorld, status: string, text: string) {
    answer(this, status as LoginStatusName, text);
  },
);

When(
  "the scripted server answers the login BAD_CREDENTIALS and then sends ERROR TOO_MANY_LOGIN_ATTEMPTS",
  function (this: ClientWorld) {
    // One write, as a server sends them (REQ-5.7: right behind the LOGIN_RESPONSE): a client
    // reads the ERROR with the refusal, before it can have closed.
    const version = this.session.version;
    this.loginAnswer = { status: "BAD_CREDENTIALS", text: "bad username or password" };
    this.session.sendInOneWrite([
      { type: "LOGIN_RESPONSE", version, ...this.loginAnswer },
      { type: "ERROR", version, code: "TOO_MANY_LOGIN_ATTEMPTS", text: "too many failed logins" },
    ]);
  },
);

When(
  "the scripted server holds the client's frames unread for {int} ms, then answers the login OK",
  async function (this: ClientWorld, ms: number) {
    // A server checking a password reads nothing meanwhile: the PINGs pile up and are answered after.
    const session = this.session;
    session.pongMode = "hold";
    const event = await session.next(ms);
    if (event.kind !== "timeout") {
      session.fail(`expected only PINGs while the login was checked, got ${describeEvent(event)}`);
    }
    answer(this, "OK", `welcome, ${this.user}`);
    this.loginAnsweredAt = performance.now();
    session.pongMode = "answer";
    session.releaseHeldPongs();
  },
);
