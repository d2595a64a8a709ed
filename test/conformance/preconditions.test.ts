/**
 * The suite refuses to judge a server that is not provisioned for it: missing test accounts, an
 * account held by another connection, an unknown user that exists. Exit 2 and one line saying what to
 * provision, never "does NOT conform" and no report.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ClientSession } from "../../conformance/support/client-session.ts";
import { RawPeer } from "../../conformance/support/raw-peer.ts";
import type { SuiteParameters } from "../../conformance/support/suite-parameters.ts";
import { type ServerProcess, startReferenceServer } from "../../tools/launch/parrot-process.ts";
import { provisionedUsersFile, usersFileOf } from "../../tools/launch/test-accounts.ts";
import { LOADED_MACHINE_ARGS, runSuite, type SuiteRun } from "./run-suite.ts";

const FAST_SCRYPT = { N: 1024, r: 8, p: 1 };

function assertRefused(run: SuiteRun, ...mentions: RegExp[]): void {
  assert.equal(run.code, 2, run.stdout + run.stderr);
  assert.equal(run.report, undefined, "a report was written for a run that judged nothing");
  assert.doesNotMatch(run.stdout, /VERDICT/);
  const lines = run.stderr.trim().split("\n");
  assert.equal(lines.length, 1, `more than one line:\n${run.stderr}`);
  assert.match(lines[0]!, /^conformance: cannot judge .*: the server is not provisioned/);
  for (const mention of mentions) assert.match(lines[0]!, mention);
}

describe("the suite checks its preconditions before judging", () => {
  test("a `make server` with only its demo accounts, and an account named like the unknown user", async () => {
    const usersFile = await usersFileOf(
      [
        { name: "user1", password: "pass1" },
        { name: "user2", password: "pass2" },
        { name: "nosuchuser", password: "not-the-password" },
      ],
      FAST_SCRYPT,
    );
    const server = await startReferenceServer(usersFile);
    try {
      const run = await runSuite([
        "--target",
        `127.0.0.1:${server.port}`,
        "--tags",
        "@REQ-5.1",
        ...LOADED_MACHINE_ARGS,
      ]);
      assertRefused(
        run,
        /user3, user4, user5, load001, load100, load200 cannot log in with the fixture's password/,
        /"nosuchuser" exists/,
        /conformance\/fixtures\/accounts\.json/,
      );
      assert.doesNotMatch(run.stderr, /user1|user2,/);
    } finally {
      await server.stop();
    }
  });

  describe("a provisioned server", () => {
    let server: ServerProcess;
    before(async () => {
      server = await startReferenceServer(await provisionedUsersFile());
    });
    after(() => server.stop());

    test("with user3 held by another client: refused until that client logs out", async () => {
      const holder = await logIn(server.port, "user3", "pass3");
      const held = await runSuite([
        "--target",
        `127.0.0.1:${server.port}`,
        "--tags",
        "@REQ-5.1",
        ...LOADED_MACHINE_ARGS,
      ]);
      await holder.closeQuietly(5000);
      assertRefused(held, /user3 is logged in on another connection/);
      assert.doesNotMatch(held.stderr, /cannot log in with the fixture's password|nosuchuser/);

      const free = await runSuite([
        "--target",
        `127.0.0.1:${server.port}`,
        "--tags",
        "@REQ-5.1",
        ...LOADED_MACHINE_ARGS,
      ]);
      assert.equal(free.code, 0, free.stdout + free.stderr);
      assert.match(free.stdout, /VERDICT: conforms/);
    });
  });
});

/** A client of our own holding `user`'s login, as `make client` would. */
async function logIn(port: number, user: string, password: string): Promise<ClientSession> {
  const parameters = {
    target: { host: "127.0.0.1", port, tls: false, insecure: false },
    replyTimeoutMs: 5000,
  } as SuiteParameters;
  const session = new ClientSession(
    "holder",
    await RawPeer.connect(parameters.target, "holder", 5000),
    parameters,
  );
  const negotiated = await session.negotiate([1]);
  assert.equal(negotiated.status, "OK");
  session.keepAlive();
  assert.equal((await session.login(user, password)).status, "OK");
  return session;
}
