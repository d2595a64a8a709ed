// The demo (issue 16, "Done when"), with two scripted `parrot client`s on protocol
// version 3 against the real reference server: user1's connection is killed (through a loopback
// proxy the test breaks, test/client/cutting-proxy.ts) and kept away while user2 goes on talking
// in their room and sends user1 a direct message; user1, run with --reconnect, comes back by
// itself and sees exactly what it missed, in order, marked as replayed, and the direct message
// at its login, marked as stored. Synchronised on what the clients print, never on sleeps.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { RunningParrotServer } from "../../server/parrot-server.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { MANY_TEST_ACCOUNTS } from "../../tools/launch/test-accounts.ts";
import { awayWhile, ISO_TIME, twoInRoom } from "./away-from-room.ts";
import { CuttingProxy } from "./cutting-proxy.ts";

let target: RunningParrotServer;

before(async () => {
  target = await startTestServer({ accounts: MANY_TEST_ACCOUNTS });
});

after(async () => {
  await target.close();
});

test("killed and back with --reconnect: what was missed is replayed in order and marked, the DM sent meanwhile arrives at login", async () => {
  const proxy = await CuttingProxy.start(target.address.port);
  try {
    const pair = await twoInRoom(
      proxy,
      target.address.port,
      "den",
      ["user1", "pass1"],
      ["user2", "pass2"],
    );
    const { away, stays } = pair;
    stays.type("/say den seen by both");
    await away.waitFor("[#den user2] seen by both");

    const afterReconnect = await awayWhile(proxy, pair, "den", async () => {
      // At least one attempt is turned away while user2 talks.
      await away.waitForStderr(/reconnecting in .*\(attempt 2\)/g);
      stays.type("/say den first while away");
      stays.type("/say den second while away");
      stays.type("/msg user1 call me");
      await stays.waitFor("[#den user2] first while away");
      await stays.waitFor("[#den user2] second while away");
      await stays.waitFor("[dm to user1] stored");
    });
    assert.deepEqual(afterReconnect, [
      "* 1 direct message(s) came while you were away",
      "(stored TIME) [dm from user2] call me",
      "[#den] joined",
      "* 2 message(s) missed in #den while you were away",
      "(replayed TIME) [#den user2] first while away",
      "(replayed TIME) [#den user2] second while away",
      "* user1 joined #den",
    ]);
    // And it is back: live again, in both directions.
    stays.type("/say den welcome back");
    await away.waitFor("[#den user2] welcome back");
    away.type("/say den thanks");
    await stays.waitFor("[#den user1] thanks");

    const [awayResult, staysResult] = await Promise.all([away.end(), stays.end()]);
    assert.equal(staysResult.code, 0, staysResult.stderr);
    assert.equal(awayResult.code, 0, awayResult.stderr);
    // The replayed lines carry the server's times, in the order the messages were said.
    const replayed = awayResult.stdout.split("\n").filter((line) => line.startsWith("(replayed"));
    const times = replayed.map((line) => line.match(ISO_TIME)?.[0] ?? "");
    assert.ok(times[0]! <= times[1]!, `replayed out of order: ${replayed.join(" | ")}`);
    assert.match(
      awayResult.stderr,
      /reconnected to 127\.0\.0\.1:\d+, protocol version 3; joining #den again/,
    );
  } finally {
    await proxy.close();
  }
});
