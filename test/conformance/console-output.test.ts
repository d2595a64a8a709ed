/**
 * The console of a run: one named line per scenario as it finishes, each failure in full (with its
 * transcripts) exactly once at the end, and no stack trace into the suite's own files for a failure
 * of the server; a bug in the suite keeps its stack. Fed with the messages cucumber emits.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Envelope } from "@cucumber/messages";
import { ConsoleProgress } from "../../conformance/report/console-progress.ts";
import { buildReport, ResultCollector } from "../../conformance/support/results.ts";
import { formatSummary } from "../../conformance/support/summary.ts";

const STACK = "\n    at ClientSession.fail (/repo/conformance/support/client-session.ts:62:11)";
const TRANSCRIPT = 'connection "A":\n    +1.0ms ← ERROR v1 {"code":"PING_TIMEOUT"}';

let clock = 0;
const at = (seconds: number) => ({ seconds, nanos: 0 });

/** The messages of one scenario; `failure` makes a step fail with that exception. */
function scenario(
  id: string,
  name: string,
  failure?: { type: string; message: string },
): Envelope[] {
  const started = clock;
  clock += 2;
  return [
    {
      pickle: {
        id: `p${id}`,
        name,
        uri: "conformance/features/ping.feature",
        tags: [
          { name: "@REQ-7.4", astNodeId: "" },
          { name: "@MUST", astNodeId: "" },
        ],
        astNodeIds: [],
        language: "en",
        steps: [],
      },
    },
    { testCase: { id: `t${id}`, pickleId: `p${id}`, testSteps: [], testRunStartedId: "r" } },
    { testCaseStarted: { id: `s${id}`, testCaseId: `t${id}`, attempt: 0, timestamp: at(started) } },
    {
      testStepFinished: {
        testCaseStartedId: `s${id}`,
        testStepId: "x",
        timestamp: at(started + 1),
        testStepResult: failure
          ? {
              status: "FAILED",
              duration: at(1),
              message: `${failure.type}: ${failure.message}${STACK}`,
              exception: { ...failure, stackTrace: `${failure.type}: ${failure.message}${STACK}` },
            }
          : { status: "PASSED", duration: at(1) },
      },
    },
    ...(failure
      ? [
          {
            attachment: {
              testCaseStartedId: `s${id}`,
              body: TRANSCRIPT,
              mediaType: "text/plain",
              fileName: "transcripts.txt",
              contentEncoding: "IDENTITY",
            },
          } as Envelope,
        ]
      : []),
    {
      testCaseFinished: {
        testCaseStartedId: `s${id}`,
        timestamp: at(started + 2),
        willBeRetried: false,
      },
    },
  ] as Envelope[];
}

describe("the console", () => {
  const lines: string[] = [];
  const messages = [
    ...scenario("1", "A silent session is closed"),
    ...scenario("2", "The clock restarts", {
      type: "ConformanceFailure",
      message: `[REQ-7.4] connection "A": closed too early\n\n${TRANSCRIPT}`,
    }),
    ...scenario("3", "A suite bug", { type: "TypeError", message: "x is undefined" }),
  ];
  let collector: ResultCollector;
  const progress = new ConsoleProgress(
    (text) => lines.push(text),
    () => collector.total,
    [],
  );
  collector = new ResultCollector((s) => progress.scenarioFinished(s));
  // Cucumber sends every pickle and test case before the first one starts.
  const order = [
    ...messages.filter((m) => m.pickle || m.testCase),
    ...messages.filter((m) => !m.pickle && !m.testCase),
  ];
  for (const message of order) collector.onMessage(message);

  test("one named line per scenario as it finishes, with the verdict and why", () => {
    assert.deepEqual(lines, [
      "[1/3] PASS  ping: A silent session is closed (2.0 s)\n",
      '[2/3] FAIL  ping: The clock restarts (2.0 s)\n            [REQ-7.4] connection "A": closed too early\n',
      "[3/3] FAIL  ping: A suite bug (2.0 s)\n            TypeError: x is undefined\n",
    ]);
  });

  test("a failure of the server has no stack trace; a bug of the suite keeps it", () => {
    const [, server, bug] = collector.scenarios();
    assert.doesNotMatch(server?.reason ?? "", /\n\s+at /);
    assert.equal(server?.blame, "REQ-7.4");
    assert.equal(server?.transcripts, TRANSCRIPT);
    assert.match(bug?.reason ?? "", /client-session\.ts:62/);
  });

  test("the summary prints each failure in full once, and the transcripts attachment not again", () => {
    const report = buildReport(collector.scenarios(), [], {
      target: "127.0.0.1:1",
      strict: false,
      tags: "",
      filtered: false,
    });
    const summary = formatSummary(report, "reports");
    assert.match(summary, /^1\) The clock restarts \(conformance\/features\/ping\.feature\)$/m);
    assert.equal(summary.split("+1.0ms ← ERROR v1").length - 1, 1, summary);
    assert.match(summary, /VERDICT: does NOT conform/);
  });
});
