/**
 * Cucumber parameter types shared by the step files.
 */
import { defineParameterType } from "@cucumber/cucumber";

// "1" or "1, 200, 201": a list of protocol versions as written in a scenario.
defineParameterType({
  name: "versions",
  regexp: /\d+(?:, \d+)*/,
  transformer: (text: string) => text.split(", ").map(Number),
});
