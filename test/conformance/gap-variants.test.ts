/**
 * The gaps the planted-bug study of issue 11 found, each closed: a broken variant of the reference
 * with one of those faults (broken-servers/, written on the server's seams) must fail exactly the
 * scenarios that judge its fault, and every other selected scenario must still pass. Before the
 * scenarios of this change, each of these variants passed the whole suite.
 */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { provisionedUsersFile } from "../../tools/launch/test-accounts.ts";
import { variantCommand } from "./broken-servers/variant-command.ts";
import { LOADED_MACHINE_ARGS, REPO, runSuite } from "./run-suite.ts";

interface GapVariant {
  file: string;
  gap: string;
  tags: string;
  /** The names of exactly the scenarios that must fail. */
  failing: RegExp;
}

const V2_SERVER_TYPES =
  "DIRECT_STATUS|DIRECT_MESSAGE|ROOM_RESULT|ROOM_MESSAGE|ROOM_EVENT|ROOM_LIST|WHO_LIST|TYPING_NOTICE|PRESENCE_EVENT";

const VARIANTS: GapVariant[] = [
  {
    file: "resends-echoes-after-backpressure.ts",
    gap: "nothing made the server's socket back up (REQ-6.3)",
    tags: "@REQ-6.3 or @REQ-6.1",
    failing:
      /^(CHATs written while the sender reads nothing are all echoed, in order|Room messages relayed to a member whose socket is full of its own echoes all arrive)$/,
  },
  {
    file: "starts-handshake-clock-at-negotiation.ts",
    gap: "the handshake timeout was measured from the connect only in name (REQ-7.11)",
    tags: "@REQ-7.9 or @REQ-7.11",
    failing:
      /^A connection that negotiates late is closed with HANDSHAKE_TIMEOUT counted from its connect$/,
  },
  {
    file: "ignores-end-mid-frame.ts",
    gap: "a stream cut mid-frame passed when the ping timeout closed it later (REQ-2.8)",
    // The dribbled and batched frames of REQ-2.5 must still pass: only the end mid-frame is broken.
    tags: "@REQ-2.8 or @REQ-2.5",
    failing: /^The stream ends in the middle of a frame: the server closes/,
  },
  {
    file: "switches-version-on-second-request.ts",
    gap: "a second VERSION_REQUEST was only tried with the version in force (REQ-4.8)",
    tags: "@REQ-4.8",
    failing:
      /^(A version [12] session offered (2|2, 1|1) again stays a version [12] session|Before login, a second VERSION_REQUEST offering another version leaves the connection negotiated|Flow model, version [123], (NEGOTIATED|AUTHENTICATED): VERSION_REQUEST)$/,
  },
  {
    file: "restarts-clock-on-accepted-pdus-only.ts",
    gap: "only decoder-level refusals were tried for REQ-7.3",
    tags: "@REQ-7.3 or @REQ-7.5",
    // A refusal by status (ROOM_RESULT NOT_MEMBER, BAD_ROOM_NAME) takes a transition: it counts here.
    failing:
      /^(Every kind of refused PDU restarts the ping-timeout clock, version 1: .*|Every kind of refused PDU restarts the ping-timeout clock, version 2: (a VERSION_REQUEST offering another version|an ERROR whose code does not close)|A refused PDU restarts the ping-timeout clock too)$/,
  },
  {
    file: "refuses-server-types-as-unauthenticated.ts",
    gap: "no scenario tried every type in every state (the flow model)",
    tags: "@REQ-8.6",
    failing: new RegExp(`^Flow model, version 2, NEGOTIATED: (${V2_SERVER_TYPES})$`),
  },
  {
    file: "folds-usernames.ts",
    gap: "no fixture had mixed-case or non-ASCII names (REQ-5.10)",
    tags: "@REQ-5.10 or @REQ-12.33",
    failing:
      /^(An account with an edge-case name logs in and chats: (mixed case|non-ASCII letters)|Names that differ only in case are two users, each with its own password|Names and passwords are compared as bytes, never folded, normalised or trimmed: name in upper case|Who is online is sorted by UTF-8 bytes, which is not UTF-16 order|Direct messages between non-ASCII names, with the extreme ids and texts: .*|A password with U\+0000 appended is not the password: after a non-ASCII account's password)$/,
  },
];

describe("each gap of issue 11 is closed: a server with that fault fails exactly its scenarios", () => {
  let usersFile: string;
  before(async () => {
    usersFile = await provisionedUsersFile();
  });

  for (const variant of VARIANTS) {
    test(`${variant.file}: ${variant.gap}`, async () => {
      const command = variantCommand(variant.file, usersFile);
      const run = await runSuite([
        "--launch",
        command,
        "--tags",
        variant.tags,
        ...LOADED_MACHINE_ARGS,
      ]);
      const report = run.report;
      assert.ok(report, `no report written; stderr:\n${run.stderr}`);
      const wrong = report.scenarios
        .filter((s) => (s.verdict === "fail") !== variant.failing.test(s.name))
        .map((s) => `${s.verdict.toUpperCase()} ${s.name}: ${s.reason?.slice(0, 300) ?? ""}`);
      assert.deepEqual(wrong, [], `scenarios whose verdict does not match the fault (cwd ${REPO})`);
      assert.ok(
        report.scenarios.some((s) => s.verdict === "fail"),
        "nothing failed",
      );
      assert.ok(
        report.scenarios.some((s) => s.verdict === "pass"),
        "nothing passed",
      );
      assert.equal(run.code, 1);
    });
  }
});
