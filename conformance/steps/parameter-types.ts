/**
 * Cucumber parameter types shared by the step files.
 */
import { defineParameterType } from "@cucumber/cucumber";
import { SAMPLE_TEXT_KINDS } from "../support/sample-texts.ts";
import type { ParrotWorld } from "../support/world.ts";

// "1" or "1, 200, 201": a list of protocol versions as written in a scenario.
defineParameterType({
  name: "versions",
  regexp: /\d+(?:, \d+)*/,
  transformer: (text: string) => text.split(", ").map(Number),
});

// "A" or "A" and "B" or "A", "B" and "C": connection names as written in a scenario.
defineParameterType({
  name: "connections",
  regexp: /"[^"]+"(?:(?:, | and )"[^"]+")*/,
  transformer: (text: string) => [...text.matchAll(/"([^"]+)"/g)].map((match) => match[1] ?? ""),
});

// "the emoji text", "the maximum-length ASCII text": one of the suite's sample texts, by name; the step
// gets the name and looks the text up with sampleText().
defineParameterType({
  name: "sample",
  regexp: new RegExp(
    [...SAMPLE_TEXT_KINDS]
      .sort((a, b) => b.length - a.length)
      .map((kind) => kind.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join("|"),
  ),
});

// A user a PDU names: "user2", "" (an empty name), or the unknown user (the fixture's name no account
// has, which a third party may change in its accounts file).
defineParameterType({
  name: "user",
  regexp: /the unknown user|"[^"]*"/,
  transformer(this: ParrotWorld, text: string) {
    return text === "the unknown user" ? this.unknownUser : text.slice(1, -1);
  },
});

// "user1" or "user1" and "user2" or "Alpha", "_under" and "zeta": names as they appear in a list.
defineParameterType({
  name: "names",
  regexp: /"[^"]*"(?:(?:, | and )"[^"]*")*/,
  transformer: (text: string) => [...text.matchAll(/"([^"]*)"/g)].map((match) => match[1] ?? ""),
});
