// The demo (issue 16, "Done when"), with two scripted `parrot client`s on protocol
// version 3 against the real reference server: user1's connection is killed (through a loopback
// proxy the test breaks, test/client/cutting-proxy.ts) and kept away while user2 goes on talking
// in their room and sends user1 a direct message; user1, run with --reconnect, comes back by
// itself and sees exactly what it missed, in order, marked as replayed, and the direct message
// at its login, marked as stored. Synchronised on what the clients print, never on sleeps.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { CuttingProxy } from "./cutting-proxy.ts";
import { startTestServer, type TestServer } from "./parrot-server-fixture.ts";
import { ScriptedPeer } from "./scripted-peer.ts";

let target: TestServer;

before(async () => {
  target = await startTestServer();
});

after(async () => {
  await target.close();
});

const ISO_TIME = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g;

test("killed and back with --reconnect: what was missed is replayed in order and marked, the DM sent meanwhile arrives at login", async () => {
  const proxy = await CuttingProxy.start(target.port);
  try {
    const away = new ScriptedPeer("user1", proxy.port, "pass1", ["--reconnect"]);
    const stays = new ScriptedPeer("user2", target.port, "pass2");
    away.type("/join den");
    await away.waitFor("[#den] joined");
    stays.type("/join den");
    await stays.waitFor("[#den] joined");
    stays.type("/say den seen by both");
    await away.waitFor("[#den user2] seen by both");

    // Killed; and while the server is away for user1, user2 goes on.
    proxy.refuseNew(true);
    proxy.cut("reset");
    await stays.waitFor("* user1 left #den");
    await away.waitForStderr(/reconnecting in .*\(attempt 2\)/g);
    stays.type("/say den first while away");
    stays.type("/say den second while away");
    stays.type("/msg user1 call me");
    await stays.waitFor("[#den user2] first while away");
    await stays.waitFor("[#den user2] second while away");
    await stays.waitFor("[dm to user1] stored");

    const shownBefore = away.lines.length;
    proxy.refuseNew(false);
    await away.waitFor("* user1 joined #den");
    stays.type("/say den welcome back");
    await away.waitFor("[#den user2] welcome back");
    const [awayResult, staysResult] = await Promise.all([away.end(), stays.end()]);
    assert.equal(staysResult.code, 0, staysResult.stderr);
    assert.equal(awayResult.code, 0, awayResult.stderr);

    const afterReconnect = awayResult.stdout
      .split("\n")
      .slice(shownBefore, -1)
      .map((line) => line.replace(ISO_TIME, "TIME"));
    assert.deepEqual(afterReconnect, [
      "* 1 direct message(s) came while you were away",
      "(stored TIME) [dm from user2] call me",
      "[#den] joined",
      "* 2 message(s) missed in #den while you were away",
      "(replayed TIME) [#den user2] first while away",
      "(replayed TIME) [#den user2] second while away",
      "* user1 joined #den",
      "[#den user2] welcome back",
    ]);
    // The replayed and stored lines carry the server's times, in the order they were said.
    const times =
      awayResult.stdout.slice(awayResult.stdout.indexOf("(stored")).match(ISO_TIME) ?? [];
    assert.equal(times.length, 3);
    assert.ok(times[1]! <= times[2]!, `replayed out of order: ${times.join(", ")}`);
    assert.match(
      awayResult.stderr,
      /reconnected to 127\.0\.0\.1:\d+, protocol version 3; joining #den again/,
    );
  } finally {
    await proxy.close();
  }
});
