/**
 * Runs over several targets (spec/README.md §13.6): the scenarios of cluster.feature judge the
 * cluster's own rules, which need a second node to be judged at all.
 */
import { Given } from "@cucumber/cucumber";
import { Unsupported } from "../support/unsupported.ts";
import type { ParrotWorld } from "../support/world.ts";

Given("the run judges several nodes of one service", function (this: ParrotWorld) {
  if (!this.placement.several) {
    throw new Unsupported(
      "the run judges one target: give several (--target HOST:PORT,HOST:PORT or --nodes N) to judge a cluster",
    );
  }
});
