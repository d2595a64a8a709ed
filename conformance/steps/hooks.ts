/**
 * Wiring between cucumber and the suite: the world, the step time limit, the "unsupported" verdict, and
 * the cleanup that keeps one scenario's logins from leaking into the next.
 */
import {
  After,
  type ITestCaseHookParameter,
  setDefaultTimeout,
  setDefinitionFunctionWrapper,
  setWorldConstructor,
} from "@cucumber/cucumber";
import { PLACEMENTS_FILE, TRANSCRIPTS_FILE } from "../support/results.ts";
import { UNSUPPORTED_PREFIX, Unsupported } from "../support/unsupported.ts";
import { ParrotWorld } from "../support/world.ts";

setWorldConstructor(ParrotWorld);

// Every wait inside a step has its own deadline derived from the server's timers or the run's flags;
// this limit only catches a bug in the suite itself. run.ts sizes it from --max-timer.
setDefaultTimeout(Number(process.env.PARROT_CONFORMANCE_STEP_TIMEOUT_MS ?? 300_000));

// A step throws Unsupported when the server or the run's limits cannot exercise the scenario; cucumber
// reports that as "skipped", and the logged reason lets run.ts tell it apart from a real failure.
setDefinitionFunctionWrapper(
  (code: (this: ParrotWorld, ...args: unknown[]) => unknown) =>
    async function (this: ParrotWorld, ...args: unknown[]) {
      try {
        return await code.apply(this, args);
      } catch (error) {
        if (!(error instanceof Unsupported)) throw error;
        this.log(`${UNSUPPORTED_PREFIX}${error.message}`);
        return "skipped";
      }
    },
);

After(async function (this: ParrotWorld, { result }: ITestCaseHookParameter) {
  // With several targets, which one each session used: the report and the console say so.
  const placements = this.placements();
  if (placements) this.attach(placements, { mediaType: "text/plain", fileName: PLACEMENTS_FILE });
  if (result?.status === "FAILED" && this.sessions.size > 0) {
    this.attach(this.transcripts(), { mediaType: "text/plain", fileName: TRANSCRIPTS_FILE });
  }
  await this.cleanup();
});
