/**
 * What a scenario sets up before the client starts: the client's offer and input, the scripted
 * server's versions and timers, and which optional parts of the contract the scenario needs.
 */
import { Given, When } from "@cucumber/cucumber";
import { Unsupported } from "../../support/unsupported.ts";
import type { ClientWorld } from "../support/client-world.ts";

/** `"a", "b" and "c"` as written in a step, into its strings. */
function quotedList(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"/g)].map((match) => match[1] ?? "");
}

function versionList(text: string): number[] {
  return text.split(",").map((part) => Number(part.trim()));
}

Given("the client offers versions {string}", function (this: ClientWorld, versions: string) {
  this.offered = versionList(versions);
});

Given(
  "the scripted server speaks versions {string}",
  function (this: ClientWorld, versions: string) {
    this.serverVersions = versionList(versions);
  },
);

Given(
  "the scripted server advertises a ping interval of {int} ms and a ping timeout of {int} ms",
  function (this: ClientWorld, pingIntervalMs: number, pingTimeoutMs: number) {
    this.timers = { pingIntervalMs, pingTimeoutMs };
  },
);

Given("the client is given the message {string}", function (this: ClientWorld, text: string) {
  this.lines.push(text);
});

Given(/^the client is given the messages (".*")$/, function (this: ClientWorld, list: string) {
  this.lines.push(...quotedList(list));
});

Given("the client is given {int} messages", function (this: ClientWorld, count: number) {
  for (let i = 1; i <= count; i++) this.lines.push(`message ${i}`);
});

Given("the client is given the line {string}", function (this: ClientWorld, line: string) {
  this.lines.push(line);
});

Given("the client's input stays open", function (this: ClientWorld) {
  this.keepInputOpen = true;
});

Given("the scripted server writes every PDU one byte at a time", function (this: ClientWorld) {
  this.dribble = true;
});

Given("the client reads command lines", function (this: ClientWorld) {
  if (!this.parameters.commands) {
    throw new Unsupported(
      "the client does not declare the contract's command lines (--client-commands)",
    );
  }
});

Given("the client reports the contract's exit codes", function (this: ClientWorld) {
  if (!this.parameters.exitCodes) {
    throw new Unsupported(
      "what the client shows its user is judged only on the contract's exit codes and output, " +
        "which this client does not declare (--client-exit-codes)",
    );
  }
});

When("the client is started", async function (this: ClientWorld) {
  await this.start();
});
