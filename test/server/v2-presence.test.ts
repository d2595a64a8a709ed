// Version 2 presence (spec §12.8) against a real server over loopback: subscribers hear every
// login (version 1 too) and every session end, exactly once, never about themselves; nobody else
// hears anything; PRESENCE_SUBSCRIBE gets no reply.
import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import type { Pdu } from "../../generated/index.ts";
import type { RunningParrotServer } from "../../server/parrot-server.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { writeFastUsersFile } from "../../tools/launch/test-accounts.ts";
import type { RawPeer } from "./raw-peer.ts";
import { PeerPool, V2_ACCOUNTS } from "./v2-peers.ts";

let server: RunningParrotServer;
const pool = new PeerPool(() => server);

before(async () => {
  server = await startTestServer({ usersFile: await writeFastUsersFile(V2_ACCOUNTS) });
});
afterEach(() => pool.destroyAll());
after(() => server.close());

function presence(user: string, status: "ONLINE" | "OFFLINE"): Pdu {
  return { type: "PRESENCE_EVENT", version: 2, user, status };
}

/** Turns presence on or off; the PING behind it proves there was no reply. */
async function subscribe(peer: RawPeer, on: boolean): Promise<void> {
  peer.send({ type: "PRESENCE_SUBSCRIBE", version: 2, enabled: on ? "ON" : "OFF" });
  assert.deepEqual(await peer.drain(), [], "PRESENCE_SUBSCRIBE gets no reply");
}

describe("presence", () => {
  test("a subscriber hears logins and session ends of version-1 and version-2 users, each once", async () => {
    const watcher = await pool.login("alice");
    await subscribe(watcher, true);
    const bob = await pool.login("bob");
    const dave = await pool.login("dave", [1]);
    assert.deepEqual(await watcher.take(2), [
      presence("bob", "ONLINE"),
      presence("dave", "ONLINE"),
    ]);
    await bob.logout();
    dave.destroy();
    assert.deepEqual(await watcher.take(2), [
      presence("bob", "OFFLINE"),
      presence("dave", "OFFLINE"),
    ]);
    assert.deepEqual(await watcher.drain(), []);
  });

  test("sessions that did not subscribe, or turned it off, hear nothing; nobody hears about themselves", async () => {
    const quiet = await pool.login("alice");
    const unsubscribed = await pool.login("bob");
    await subscribe(unsubscribed, true);
    await subscribe(unsubscribed, false);
    const self = await pool.login("carol");
    await subscribe(self, true);
    const v1 = await pool.login("dave", [1]);
    assert.deepEqual(await self.take(1), [presence("dave", "ONLINE")]);
    const erin = await pool.login("erin");
    erin.destroy();
    assert.deepEqual(await self.take(2), [presence("erin", "ONLINE"), presence("erin", "OFFLINE")]);
    for (const peer of [quiet, unsubscribed, v1]) assert.deepEqual(await peer.drain(), []);
    assert.deepEqual(await self.drain(), []);
  });

  test("a login refused (bad password, already logged in) is no event", async () => {
    const watcher = await pool.login("alice");
    await subscribe(watcher, true);
    await pool.login("bob");
    assert.deepEqual(await watcher.take(1), [presence("bob", "ONLINE")]);
    const second = await pool.connect();
    await second.negotiate([1, 2]);
    assert.equal((await second.login("bob", "bob-pw")).status, "ALREADY_LOGGED_IN");
    assert.equal((await second.login("carol", "wrong")).status, "BAD_CREDENTIALS");
    second.destroy();
    assert.deepEqual(await watcher.drain(), []);
  });

  test("subscribe, then WHO_REQUEST: the list plus the events after it cover everyone", async () => {
    await pool.login("bob");
    const watcher = await pool.login("alice");
    await subscribe(watcher, true);
    watcher.send({ type: "WHO_REQUEST", version: 2, requestId: 1, room: "", offset: 0 });
    assert.deepEqual((await watcher.expect("WHO_LIST")).names, ["alice", "bob"]);
    await pool.login("carol");
    assert.deepEqual(await watcher.take(1), [presence("carol", "ONLINE")]);
  });
});
