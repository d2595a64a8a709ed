/**
 * Many sessions at once (REQ-6.3, REQ-6.2, REQ-8.8): each sends its CHATs interleaved with everyone
 * else's, and must get back exactly its own echoes, in order, none lost, none crossed. How many sessions
 * and messages is up to the run (--sessions, --messages).
 */
import { Given, Then, When } from "@cucumber/cucumber";
import type { ClientSession } from "../support/client-session.ts";
import { ConformanceFailure } from "../support/conformance-failure.ts";
import { describePdu } from "../support/raw-peer.ts";
import type { ParrotWorld } from "../support/world.ts";

Given(
  "the configured number of sessions are logged in at once with the load accounts",
  async function (this: ParrotWorld) {
    const count = this.parameters.sessions;
    if (this.loadAccounts.length < count) {
      throw new Error(
        `--sessions ${count} is more than the ${this.loadAccounts.length} load accounts`,
      );
    }
    await this.logInLoadSessions(count);
  },
);

When(
  "every session sends the configured number of CHATs, all sessions at the same time",
  function (this: ParrotWorld) {
    // Round-robin across sessions, one write per CHAT, so the server sees them thoroughly interleaved.
    for (let seq = 0; seq < this.parameters.messagesPerSession; seq++) {
      for (const session of this.crowd) {
        session.peer.send({
          type: "CHAT",
          version: session.headerVersion,
          messageId: seq,
          text: crowdText(session, seq),
        });
      }
    }
  },
);

// Each session's echoes are collected first and judged as a whole, so the report can tell a crossed
// echo (another session's text: REQ-6.2) from a lost or reordered one (REQ-6.3).
Then(
  "every session receives exactly the echoes of its own CHATs, in order, and nothing else",
  async function (this: ParrotWorld) {
    const messages = this.parameters.messagesPerSession;
    const problems = (
      await Promise.all(this.crowd.map((session) => echoProblem(session, messages)))
    ).filter((problem) => problem !== undefined);
    if (problems.length === 0) return;
    const crossed = problems.filter((problem) => problem.crossed);
    const shown = (crossed.length > 0 ? crossed : problems).slice(0, 3);
    throw new ConformanceFailure(
      `${problems.length} of ${this.crowd.length} sessions did not get exactly their own echoes in ` +
        `order${crossed.length > 0 ? `; ${crossed.length} got echoes of other sessions` : ""}. ` +
        `The first ${shown.length}:`,
      shown.flatMap((problem) => [problem.session.peer.transcript]),
      crossed.length > 0 ? "REQ-6.2" : "REQ-6.3",
    );
  },
);

Then("every session can log out", async function (this: ParrotWorld) {
  await judgeEach(this.crowd, "could not log out", (session) => session.logout());
});

/** Text unique to the session and the message, so a crossed or reordered echo shows which it was. */
function crowdText(session: ClientSession, seq: number): string {
  return `${session.name} says #${seq}`;
}

interface EchoProblem {
  session: ClientSession;
  crossed: boolean;
}

/** Reads the session's echoes (up to `messages`, then a PONG) and says what, if anything, was wrong. */
async function echoProblem(
  session: ClientSession,
  messages: number,
): Promise<EchoProblem | undefined> {
  const own = `${session.name} says #`;
  const received: { messageId: number; text: string }[] = [];
  let note: string | undefined;
  while (received.length < messages) {
    const event = await session.peer.next(session.parameters.replyTimeoutMs);
    if (event.kind === "pdu" && event.pdu.type === "CHAT_ECHO") {
      received.push(event.pdu);
      continue;
    }
    note = `after ${received.length} echoes: ${event.kind === "pdu" ? describePdu(event.pdu) : event.kind}`;
    break;
  }
  const crossed = received.some((echo) => !echo.text.startsWith(own));
  const inOrder = received.every(
    (echo, seq) => echo.messageId === seq && echo.text === crowdText(session, seq),
  );
  if (note === undefined && !crossed && inOrder) {
    try {
      await session.expectServed("a PONG right after the last echo: nothing else may come");
      return undefined;
    } catch (error) {
      if (!(error instanceof ConformanceFailure)) throw error;
      note = "something came after the last echo";
    }
  }
  session.peer.transcript.note(
    `judged: ${received.length} of ${messages} echoes` +
      `${crossed ? ", some of other sessions" : ""}${inOrder ? "" : ", not in the order sent"}` +
      `${note ? `; ${note}` : ""}`,
  );
  return { session, crossed };
}

/** Runs `check` on every session at once; a failure names how many failed and shows the first few. */
async function judgeEach(
  sessions: readonly ClientSession[],
  what: string,
  check: (session: ClientSession) => Promise<void>,
): Promise<void> {
  const results = await Promise.allSettled(sessions.map(check));
  const failures = results.flatMap((result) =>
    result.status === "rejected" ? [result.reason] : [],
  );
  if (failures.length === 0) return;
  const shown = failures
    .slice(0, 3)
    .map((reason) => (reason instanceof Error ? reason.message : String(reason)));
  throw new ConformanceFailure(
    `${failures.length} of ${sessions.length} sessions ${what}. The first ${shown.length}:\n\n` +
      shown.join("\n\n"),
  );
}
