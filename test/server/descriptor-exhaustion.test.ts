// Issue 12, defect 4: a server with no --max-connections and few file descriptors. Before it runs
// out it stops accepting (new clients get "connection refused", and the log says why) rather
// than having libuv accept and drop them without a word; once connections close it accepts again
// (spec REQ-9.8).
import assert from "node:assert/strict";
import { test } from "node:test";
import { startServerProcess } from "../../tools/launch/parrot-process.ts";
import { writeFastUsersFile } from "../../tools/launch/test-accounts.ts";
import { TransportError } from "../../transport/transport-error.ts";
import { assertPausesAndResumes } from "../transport/descriptor-pause.ts";
import { RawPeer } from "./raw-peer.ts";

const MAX_OPEN_FILES = 160;

/** A negotiated connection, or "refused" if the server is not accepting. */
async function tryConnect(address: Parameters<typeof RawPeer.connect>[0]) {
  let peer: RawPeer;
  try {
    peer = await RawPeer.connect(address);
  } catch (error) {
    if (error instanceof TransportError && error.code === "CONNECTION_REFUSED") return "refused";
    throw error;
  }
  // Accepted: it must then be served, not dropped.
  const response = await peer.negotiate();
  assert.equal(response.status, "OK");
  return peer;
}

test(`ulimit -n ${MAX_OPEN_FILES}, no connection limit: accepting pauses before descriptors run out, and resumes`, async () => {
  const server = await startServerProcess(
    ["-l", "127.0.0.1", "-p", "0", "--users", await writeFastUsersFile(), "--log-level", "warn"],
    { maxOpenFiles: MAX_OPEN_FILES },
  );
  let peers: RawPeer[] = [];
  try {
    peers = await assertPausesAndResumes(
      MAX_OPEN_FILES,
      () => tryConnect(server.address),
      server.stderr,
    );
  } finally {
    for (const peer of peers) peer.destroy();
    server.child.kill("SIGTERM");
    await server.exited;
  }
});
