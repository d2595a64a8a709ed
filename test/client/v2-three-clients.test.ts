// Issue #5's "done when": three scriptable version-2 clients (user1, user2, user3) on one reference
// server DM each other, share a room, see joins, leaves and typing, while a version-1-only client
// (--versions 1) logged in at the same time sees nothing but its own echoes. Each step waits for
// the lines it causes on every client concerned, so each client's whole stdout is known exactly:
// the final transcripts also prove nothing was shown twice or to the wrong client.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { RunningParrotServer } from "../../server/parrot-server.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { MANY_TEST_ACCOUNTS } from "../../tools/launch/test-accounts.ts";
import { ScriptedPeer } from "./scripted-peer.ts";

let target: RunningParrotServer;

before(async () => {
  target = await startTestServer({ accounts: MANY_TEST_ACCOUNTS });
});

after(async () => {
  await target.close();
});

// Version 2 exactly: on version 3 a DM to someone away is stored, not "not delivered" (§15.5).
const V2 = ["--versions", "1,2"];

describe("three version-2 clients and a version-1 client on one server", () => {
  test("DMs, a shared room, joins, leaves and typing; the v1 client sees only its echoes", {
    timeout: 120_000,
  }, async () => {
    const user1 = new ScriptedPeer("user1", target.address.port, "pass1", V2);
    // The WHO_LIST answer also proves the subscription was handled before anyone else logs in.
    user1.type("/presence on");
    user1.type("/who");
    await user1.waitFor("who: user1");

    const user2 = new ScriptedPeer("user2", target.address.port, "pass2", V2);
    await user1.waitFor("* user2 is online");
    const user3 = new ScriptedPeer("user3", target.address.port, "pass3", V2);
    await user1.waitFor("* user3 is online");
    const v1 = new ScriptedPeer("carol", target.address.port, "carol-pw", ["--versions", "1"]);
    await user1.waitFor("* carol is online");
    v1.type("hello from v1");
    await v1.waitFor("hello from v1");

    // Direct messages: delivered to a v2 user; a v1 user and an unknown name are answered alike.
    user1.type("/msg user2 hi there");
    await user1.waitFor("[dm to user2] delivered");
    await user2.waitFor("[dm from user1] hi there");
    user1.type("/msg carol psst");
    await user1.waitFor("[dm to carol] not delivered");
    user1.type("/msg nobody psst");
    await user1.waitFor("[dm to nobody] not delivered");

    // A room: every member hears of every join, the joiner included.
    user1.type("/join lobby");
    await user1.waitFor("[#lobby] joined");
    await user1.waitFor("* user1 joined #lobby");
    user2.type("/join #lobby");
    await user2.waitFor("[#lobby] joined");
    await user2.waitFor("* user2 joined #lobby");
    await user1.waitFor("* user2 joined #lobby");
    user3.type("/join lobby");
    for (const member of [user1, user2, user3]) await member.waitFor("* user3 joined #lobby");

    user3.type("/rooms");
    await user3.waitFor("rooms: lobby");
    user3.type("/who lobby");
    await user3.waitFor("who #lobby: user1, user2, user3");
    user3.type("/who");
    await user3.waitFor("who: carol, user1, user2, user3");

    // Room messages reach every member, the sender too: by room mode and by /say.
    user2.type("/room lobby");
    user2.type("hello room");
    for (const member of [user1, user2, user3]) {
      await member.waitFor("[#lobby user2] hello room");
    }
    user3.type("/say lobby hi from user3");
    for (const member of [user1, user2, user3]) {
      await member.waitFor("[#lobby user3] hi from user3");
    }
    // A v2 session still has the echo; "//" sends a line that starts with "/".
    user1.type("//not a command");
    await user1.waitFor("/not a command");

    // Typing in a room: the other members see it start and stop, the typist does not.
    user3.type("/typing #lobby");
    user3.type("/typing-stop #lobby");
    for (const member of [user1, user2]) {
      await member.waitFor("* user3 is typing in #lobby");
      await member.waitFor("* user3 stopped typing in #lobby");
    }
    // Typing to a user: only that user sees it.
    user1.type("/typing user2");
    user1.type("/typing-stop user2");
    await user2.waitFor("* user1 is typing");
    await user2.waitFor("* user1 stopped typing");

    // Leaving: the others are told; the leaver can no longer talk there.
    user3.type("/leave lobby");
    await user3.waitFor("[#lobby] left");
    for (const member of [user1, user2]) await member.waitFor("* user3 left #lobby");
    user3.type("/say lobby too late");
    await user3.waitFor("[#lobby] not a member");
    user1.type("/join lobby");
    await user1.waitFor("[#lobby] already a member");

    v1.type("bye from v1");
    await v1.waitFor("bye from v1");
    const v1Run = await v1.end();
    await user1.waitFor("* carol is offline");
    const user3Run = await user3.end();
    await user1.waitFor("* user3 is offline");
    // A session that ends leaves its rooms (REQ-12.18); which of the two comes first is the
    // server's choice.
    const user2Run = await user2.end();
    await user1.waitFor("* user2 is offline");
    const user1Run = await user1.end();

    for (const run of [user1Run, user2Run, user3Run, v1Run]) assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(v1.lines, ["hello from v1", "bye from v1"]);
    assert.equal(v1Run.stderr, "", "the v1 client was never sent anything it had to refuse");
    assert.deepEqual(user3.lines, [
      "[#lobby] joined",
      "* user3 joined #lobby",
      "rooms: lobby",
      "who #lobby: user1, user2, user3",
      "who: carol, user1, user2, user3",
      "[#lobby user2] hello room",
      "[#lobby user3] hi from user3",
      "[#lobby] left",
      "[#lobby] not a member",
    ]);
    assert.deepEqual(user2.lines, [
      "[dm from user1] hi there",
      "[#lobby] joined",
      "* user2 joined #lobby",
      "* user3 joined #lobby",
      "[#lobby user2] hello room",
      "[#lobby user3] hi from user3",
      "* user3 is typing in #lobby",
      "* user3 stopped typing in #lobby",
      "* user1 is typing",
      "* user1 stopped typing",
      "* user3 left #lobby",
    ]);
    const user1Lines = user1.lines;
    assert.deepEqual(user1Lines.slice(0, -2), [
      "who: user1",
      "* user2 is online",
      "* user3 is online",
      "* carol is online",
      "[dm to user2] delivered",
      "[dm to carol] not delivered",
      "[dm to nobody] not delivered",
      "[#lobby] joined",
      "* user1 joined #lobby",
      "* user2 joined #lobby",
      "* user3 joined #lobby",
      "[#lobby user2] hello room",
      "[#lobby user3] hi from user3",
      "/not a command",
      "* user3 is typing in #lobby",
      "* user3 stopped typing in #lobby",
      "* user3 left #lobby",
      "[#lobby] already a member",
      "* carol is offline",
      "* user3 is offline",
    ]);
    assert.deepEqual(user1Lines.slice(-2).sort(), ["* user2 is offline", "* user2 left #lobby"]);
  });
});
