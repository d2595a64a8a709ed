/**
 * How a client scenario ends, judged by what the contract defines: the connection closed by the
 * client, its exit code (0 for a session that ended well, non-zero otherwise; the exact codes only for
 * a client that declares them), and its stdout (one line per echo, in order).
 */
import { performance } from "node:perf_hooks";
import { Then } from "@cucumber/cucumber";
import { ERRORS } from "../../../generated/index.ts";
import { ConformanceFailure } from "../../support/conformance-failure.ts";
import type { ClientWorld } from "../support/client-world.ts";
import { describeEvent } from "../support/scripted-session.ts";
import { chatsSent, serve } from "../support/serve.ts";

async function exitOf(world: ClientWorld) {
  const exit = await world.client.waitForExit(world.parameters.replyTimeoutMs);
  if (!exit) {
    throw new ConformanceFailure(
      `the client was still running ${world.parameters.replyTimeoutMs} ms after its connection closed\n\n${world.client.describe()}`,
    );
  }
  return exit;
}

async function completes(world: ClientWorld): Promise<void> {
  await serve(world, { forbidError: {} });
  const sent = chatsSent(world).map((chat) => chat.text);
  if (sent.join("\n") !== world.messages.join("\n")) {
    world.session.fail(
      `the client was given the messages ${JSON.stringify(world.messages)} but sent the CHATs ${JSON.stringify(sent)}`,
    );
  }
  const exit = await exitOf(world);
  if (exit.code !== 0) {
    throw new ConformanceFailure(
      `the session went well, but the client exited ${exit.signal ?? exit.code}, not 0\n\n${world.evidence()}`,
    );
  }
  const printed = world.client.stdoutLines;
  if (!world.parameters.commands || world.lines.every((line) => !line.startsWith("/"))) {
    if (printed.join("\n") !== world.messages.join("\n")) {
      throw new ConformanceFailure(
        `the client was echoed ${JSON.stringify(world.messages)} but printed ${JSON.stringify(printed)}\n\n${world.evidence()}`,
      );
    }
  }
}

Then("the client completes its session", async function (this: ClientWorld) {
  await completes(this);
});

Then("the client completes its session once its input ends", async function (this: ClientWorld) {
  this.client.endInput();
  this.keepInputOpen = false;
  await completes(this);
});

Then("the client ends its session", async function (this: ClientWorld) {
  await serve(this, { forbidError: {} });
});

Then("the client ends its session without sending an ERROR", async function (this: ClientWorld) {
  await serve(this, { forbidError: { requirement: "REQ-8.5" } });
});

Then("the client sends no CHAT and ends its session", async function (this: ClientWorld) {
  await serve(this, { forbidChat: "REQ-5.9", forbidError: {} });
});

Then(
  "the client closes the connection without sending anything more",
  async function (this: ClientWorld) {
    const session = this.session;
    const since = session.received.length;
    const pings = session.pings.length;
    const event = await session.next(this.parameters.replyTimeoutMs);
    if (event.kind !== "eof" && event.kind !== "reset") {
      session.fail(`expected the client to close the connection, got ${describeEvent(event)}`);
    }
    if (session.pings.length > pings) {
      session.fail(`the client sent ${describeEvent(session.received[since]!)} before it closed`);
    }
  },
);

Then("the client closes the connection", async function (this: ClientWorld) {
  // What it sent before it saw the end (its pipelined CHATs, an ERROR) is its business.
  const deadline = performance.now() + this.parameters.replyTimeoutMs;
  for (;;) {
    const event = await this.session.next(Math.max(0, deadline - performance.now()));
    if (event.kind === "eof" || event.kind === "reset") return;
    if (event.kind === "timeout")
      this.session.fail("the client did not close the connection", "REQ-2.8");
  }
});

Then("the client exits with a failure", async function (this: ClientWorld) {
  const exit = await exitOf(this);
  if (exit.code === 0) {
    throw new ConformanceFailure(
      `the client exited 0 after a session that failed\n\n${this.evidence()}`,
    );
  }
});

Then(
  /^with the contract's exit codes it exits (\d+)(?: naming (".*"))?$/,
  async function (this: ClientWorld, code: string, names: string | undefined) {
    // Only a client that declares the contract's exit codes is judged on them (--client-exit-codes).
    if (!this.parameters.exitCodes) return;
    // Telling the user why is REQ-9.7, apart from the wire behaviour the scenario is about; the
    // versions of a NO_COMMON_VERSION are REQ-4.6.
    const requirement = this.tags.includes("@REQ-4.6") ? "REQ-4.6" : "REQ-9.7";
    const exit = await exitOf(this);
    if (exit.code !== Number(code)) {
      throw new ConformanceFailure(
        `the contract's exit code here is ${code}; the client exited ${exit.signal ?? exit.code}\n\n${this.evidence()}`,
        [],
        requirement,
      );
    }
    const output = `${this.client.stdout}\n${this.client.stderr}`;
    for (const [, name] of (names ?? "").matchAll(/"([^"]*)"/g)) {
      // An error code may be named by its number or by its name in the spec.
      const codeName = Object.entries(ERRORS).find(([, rule]) => String(rule.code) === name)?.[0];
      const pattern = `(^|\\D)${name}(\\D|$)${codeName ? `|\\b${codeName}\\b` : ""}`;
      if (!new RegExp(pattern).test(output)) {
        throw new ConformanceFailure(
          `the client's output does not name ${name}, as the contract says it does here\n\n${this.evidence()}`,
          [],
          requirement,
        );
      }
    }
  },
);
