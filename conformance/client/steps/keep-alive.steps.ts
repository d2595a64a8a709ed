/**
 * Keep-alive as the client does it: how often it pings (REQ-7.1, REQ-7.12) and when it gives a server
 * up for dead (REQ-7.8). Every wait comes from the timers the scripted server advertised.
 */
import { performance } from "node:perf_hooks";
import { Then, When } from "@cucumber/cucumber";
import { TIMER_DEFAULTS_MS } from "../../../generated/index.ts";
import type { ClientWorld } from "../support/client-world.ts";
import { longestGap, pingGaps } from "../support/ping-gaps.ts";
import { describeEvent } from "../support/scripted-session.ts";
import { serve } from "../support/serve.ts";

/** REQ-7.1 allows a gap over the interval by up to this part of it (§7.1, "Judging lateness"). */
const MUST_LATENESS = 0.1;

function judgeGaps(world: ClientWorld, percent: number, end: number): void {
  const session = world.session;
  const start = session.versionResponseSentAt;
  if (start === undefined) throw new Error("scenario bug: no VERSION_RESPONSE was sent");
  const interval = world.timers.pingIntervalMs;
  const allowed = (interval * percent) / 100;
  const gap = longestGap(
    pingGaps(
      session.pings.map((ping) => ping.at),
      start,
      end,
    ),
  );
  if (gap.ms > allowed) {
    const at = session.peer.transcript.elapsed(gap.from).toFixed(0);
    session.fail(
      `no PING for ${gap.ms.toFixed(0)} ms from +${at}ms on; the advertised interval is ${interval} ms` +
        ` and a judge allows ${allowed.toFixed(0)} ms (${percent} %)`,
      percent > 100 ? "REQ-7.1" : "REQ-7.12",
    );
  }
}

Then(
  "over {int} ping intervals the client's PINGs are never more than {int} % of the interval apart",
  async function (this: ClientWorld, intervals: number, percent: number) {
    if (percent !== 100 && percent !== Math.round(100 * (1 + MUST_LATENESS))) {
      throw new Error(`scenario bug: the spec's judges allow 100 % or 110 %, not ${percent} %`);
    }
    const end = await serve(this, {
      forMs: intervals * this.timers.pingIntervalMs,
      forbidError: {},
    });
    judgeGaps(this, percent, performance.now());
    if (end === "closed early") {
      this.session.fail("the client closed the connection while it had no reason to");
    }
  },
);

Then(
  "from the VERSION_RESPONSE to the login the client's PINGs were never more than {int} % of the interval apart",
  function (this: ClientWorld, percent: number) {
    judgeGaps(this, percent, this.loginAnsweredAt ?? performance.now());
  },
);

When("the scripted server falls silent", function (this: ClientWorld) {
  this.session.pongMode = "ignore";
});

When(
  "the scripted server leaves the client's PINGs unanswered and sends PONGs of unused tokens every {int} ms",
  function (this: ClientWorld, ms: number) {
    const session = this.session;
    session.pongMode = "ignore";
    let token = 0x0badc0de;
    const timer = setInterval(() => {
      while (session.pings.some((ping) => ping.token === token)) token++;
      if (session.peer.closed) return clearInterval(timer);
      session.send({ type: "PONG", version: session.version, token: token++ }, false);
    }, ms);
    this.onCleanup(() => clearInterval(timer));
  },
);

When("the scripted server answers PINGs but withholds every echo", function (this: ClientWorld) {
  this.echoes = "never";
});

/** Reads (and answers only PINGs, as the mode says) until the client closes, by `deadline`. */
async function closedBy(world: ClientWorld, deadline: number, since: string): Promise<void> {
  const session = world.session;
  for (;;) {
    const event = await session.next(Math.max(0, deadline - performance.now()));
    if (event.kind === "eof" || event.kind === "reset") return;
    if (event.kind === "timeout") {
      session.fail(
        `the client was still connected ${(performance.now() - deadline).toFixed(0)} ms past the ping ` +
          `timeout and the tolerance after ${since}`,
        "REQ-7.8",
      );
    }
    if (event.kind === "pdu" && event.pdu.type === "LOGOUT") session.peer.endOutput();
  }
}

/** How long after the last sign of life the client must have closed: ping timeout + tolerance. */
const deadAfter = (world: ClientWorld) =>
  world.timers.pingTimeoutMs + TIMER_DEFAULTS_MS.timeoutTolerance;

Then(
  "the client closes the connection within the ping timeout and the tolerance after the server's last sign of life",
  async function (this: ClientWorld) {
    // The scripted server gives no sign of life from now on: unused-token PONGs do not count.
    const lastLife = this.session.lastLifeSentAt;
    await closedBy(this, lastLife + deadAfter(this), "the server's last sign of life");
  },
);

Then(
  "the client closes the connection within the ping timeout and the tolerance after its CHAT",
  async function (this: ClientWorld) {
    const session = this.session;
    const event = await session.next(this.parameters.replyTimeoutMs);
    if (event.kind !== "pdu" || event.pdu.type !== "CHAT") {
      session.fail(`expected the client's CHAT, got ${describeEvent(event)}`);
    }
    await closedBy(this, event.at + deadAfter(this), "its CHAT, whose echo never came");
  },
);
