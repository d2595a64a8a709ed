// Issue 12, defect 4: a flood of connections beyond --max-connections, on a server with few file
// descriptors. Every excess connection is refused with ERROR SERVER_FULL and closed at once; none
// is dropped silently, and the sessions already in keep working. Before the fix a refused
// connection held its descriptor until the peer closed (up to the 2 s grace), the server ran out
// of descriptors, and libuv then accepted and closed the excess without a word.
import assert from "node:assert/strict";
import { test } from "node:test";
import { startServerProcess } from "../../tools/launch/parrot-process.ts";
import { writeFastUsersFile } from "../../tools/launch/test-accounts.ts";
import { RawPeer } from "./raw-peer.ts";

const MAX_OPEN_FILES = 256;
const MAX_CONNECTIONS = 150;
const WAVES = 5;
const PER_WAVE = 200;

test(`${WAVES * PER_WAVE} connections beyond --max-connections ${MAX_CONNECTIONS} with ulimit -n ${MAX_OPEN_FILES}: each gets SERVER_FULL`, async () => {
  const server = await startServerProcess(
    [
      "-l",
      "127.0.0.1",
      "-p",
      "0",
      "--users",
      await writeFastUsersFile(),
      "--max-connections",
      String(MAX_CONNECTIONS),
      "--log-level",
      "warn",
    ],
    { maxOpenFiles: MAX_OPEN_FILES },
  );
  const peers: RawPeer[] = [];
  try {
    const user = await RawPeer.connect(server.address);
    peers.push(user);
    await user.negotiateAndLogin("user1", "pass1");
    for (let i = 1; i < MAX_CONNECTIONS; i++) {
      const peer = await RawPeer.connect(server.address);
      peers.push(peer);
      await peer.negotiate();
    }
    for (let wave = 0; wave < WAVES; wave++) {
      // The refused peers keep their end open: the server must not wait for them to close it.
      const refused = await Promise.all(
        Array.from({ length: PER_WAVE }, () => RawPeer.connect(server.address)),
      );
      peers.push(...refused);
      for (const peer of refused) {
        const error = await peer.expectError("SERVER_FULL");
        assert.equal(error.version, 0);
      }
      assert.equal((await user.chat(wave + 1, "still in")).text, "still in");
    }
  } finally {
    for (const peer of peers) peer.destroy();
    server.child.kill("SIGTERM");
    await server.exited;
  }
});
