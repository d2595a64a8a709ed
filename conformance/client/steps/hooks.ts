/**
 * Wiring between cucumber and the client suite: the world, the step time limit, the "unsupported"
 * verdict (shared with the server suite), and the cleanup that stops each scenario's client and server.
 */
import {
  After,
  Before,
  type ITestCaseHookParameter,
  setDefaultTimeout,
  setDefinitionFunctionWrapper,
  setWorldConstructor,
} from "@cucumber/cucumber";
import { UNSUPPORTED_PREFIX, Unsupported } from "../../support/unsupported.ts";
import { ClientWorld } from "../support/client-world.ts";

setWorldConstructor(ClientWorld);

// Every wait in a step has its own deadline from the advertised timers or --reply-timeout; this limit
// only catches a bug in the suite itself.
setDefaultTimeout(120_000);

setDefinitionFunctionWrapper(
  (code: (this: ClientWorld, ...args: unknown[]) => unknown) =>
    async function (this: ClientWorld, ...args: unknown[]) {
      try {
        return await code.apply(this, args);
      } catch (error) {
        if (!(error instanceof Unsupported)) throw error;
        this.log(`${UNSUPPORTED_PREFIX}${error.message}`);
        return "skipped";
      }
    },
);

Before(function (this: ClientWorld, { pickle }: ITestCaseHookParameter) {
  this.tags = pickle.tags.map((tag) => tag.name);
});

After(async function (this: ClientWorld, { result }: ITestCaseHookParameter) {
  if (result?.status === "FAILED") {
    this.attach(this.evidence(), { mediaType: "text/plain", fileName: "evidence.txt" });
  }
  await this.cleanup();
});
