// `parrot client ... | head -1`: the reader closes stdout after the first line. The real client CLI
// against the real server must then stop quietly like other Unix tools — no stack trace, exit 0 —
// and log out cleanly, so the same account can log in again at once.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { RunningParrotServer } from "../../server/parrot-server.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { MANY_TEST_ACCOUNTS } from "../../tools/launch/test-accounts.ts";
import { runClient, spawnClient } from "./client-process.ts";

let target: RunningParrotServer;

before(async () => {
  target = await startTestServer({ accounts: MANY_TEST_ACCOUNTS });
});

after(async () => {
  await target.close();
});

function clientArgs(user: string, ...rest: string[]): string[] {
  return ["-s", "127.0.0.1", "-p", String(target.address.port), "--user", user, ...rest];
}

test("a closed stdout ends the input: the client logs out, exits 0 quietly, the login is free", async () => {
  // stdin stays open, as with `tail -f chat.txt | parrot client ... | head -1`: the client must
  // stop because its output is gone, not because its input ended.
  const client = spawnClient(clientArgs("user1"), {
    env: { PARROT_PASSWORD: "pass1" },
    stdin: "first\n",
    keepStdinOpen: true,
  });
  assert.deepEqual(await client.lines(1), ["first"]);
  // The reader has its line and goes, like `head -1`.
  client.child.stdout.destroy();
  // The echo of this line is the first write into the closed pipe (EPIPE).
  client.child.stdin.write("second\n");
  const run = await client.result;
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, "", "no stack trace, no remark");

  const again = await runClient(clientArgs("user1", "--send", "my turn"), {
    env: { PARROT_PASSWORD: "pass1" },
  });
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stdout, "my turn\n");
});
