// Many sessions at once: each gets exactly its own echoes, in order, none lost, none crossed.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { RunningParrotServer } from "../../server/parrot-server.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { writeFastUsersFile } from "../../tools/launch/test-accounts.ts";
import { RawPeer } from "./raw-peer.ts";

const SESSIONS = 200;
const MESSAGES = 25;
const accounts = Array.from({ length: SESSIONS }, (_, index) => ({
  name: `load${String(index + 1).padStart(3, "0")}`,
  password: `secret-${index + 1}`,
}));

let server: RunningParrotServer;

before(async () => {
  server = await startTestServer({ usersFile: await writeFastUsersFile(accounts) });
});

after(async () => {
  await server.close();
});

test(`${SESSIONS} concurrent sessions each get exactly their own echoes, in order`, async () => {
  const peers = await Promise.all(accounts.map(() => RawPeer.connect(server.address)));
  try {
    await Promise.all(
      peers.map((peer, index) =>
        peer.negotiateAndLogin(accounts[index]!.name, accounts[index]!.password),
      ),
    );
    assert.equal(server.sessionCount, SESSIONS);
    // Every session writes all its CHATs before reading anything back.
    for (let message = 0; message < MESSAGES; message += 1) {
      peers.forEach((peer, index) => {
        peer.send({
          type: "CHAT",
          version: 1,
          messageId: message,
          text: `${accounts[index]!.name} says ${message}`,
        });
      });
    }
    await Promise.all(
      peers.map(async (peer, index) => {
        for (let message = 0; message < MESSAGES; message += 1) {
          const echo = await peer.expect("CHAT_ECHO");
          assert.deepEqual(echo, {
            type: "CHAT_ECHO",
            version: 1,
            messageId: message,
            text: `${accounts[index]!.name} says ${message}`,
          });
        }
        await peer.logout();
      }),
    );
  } finally {
    for (const peer of peers) peer.destroy();
  }
});
