// The WebSocket listener is guarded against running out of file descriptors as TCP is (issue 12,
// defect 4): a server with few descriptors stops accepting WebSocket connections before it runs
// out (a new client's connect is refused, and the log says why), keeps serving those it holds,
// and accepts again once some have closed.
import assert from "node:assert/strict";
import { test } from "node:test";
import "../../transport/all-dialers.ts";
import { runParrot } from "../../tools/launch/parrot-process.ts";
import { writeFastUsersFile } from "../../tools/launch/test-accounts.ts";
import type { BoundAddress } from "../../transport/listener.ts";
import { TransportError } from "../../transport/transport-error.ts";
import { RawPeer } from "../server/raw-peer.ts";
import { assertPausesAndResumes } from "./descriptor-pause.ts";

const MAX_OPEN_FILES = 160;

/** A negotiated WebSocket connection, or "refused" if the server is not accepting. */
async function tryConnect(address: BoundAddress): Promise<RawPeer | "refused"> {
  let peer: RawPeer;
  try {
    peer = await RawPeer.connect(address, { transport: "ws" });
  } catch (error) {
    if (error instanceof TransportError && error.code === "CONNECTION_REFUSED") return "refused";
    throw error;
  }
  // Accepted: it must then be served, not dropped.
  assert.equal((await peer.negotiate()).status, "OK");
  return peer;
}

test(`ulimit -n ${MAX_OPEN_FILES}: the WebSocket listener pauses before descriptors run out, and resumes`, async () => {
  const server = runParrot(
    [
      "server",
      "-l",
      "127.0.0.1",
      "-p",
      "0",
      "--ws-port",
      "0",
      "--users",
      await writeFastUsersFile(),
      "--log-level",
      "warn",
    ],
    { maxOpenFiles: MAX_OPEN_FILES },
  );
  let peers: RawPeer[] = [];
  try {
    const address = await new Promise<BoundAddress>((resolve, reject) => {
      const onData = () => {
        const match = /listening on (.+):(\d+) \(ws\)\n/.exec(server.stdout());
        if (match === null) return;
        server.child.stdout!.off("data", onData);
        resolve({ host: match[1]!, port: Number(match[2]), transport: "ws" });
      };
      server.child.stdout!.on("data", onData);
      void server.exited.then((code) => reject(new Error(`exited (${code}): ${server.stderr()}`)));
    });
    peers = await assertPausesAndResumes(MAX_OPEN_FILES, () => tryConnect(address), server.stderr);
  } finally {
    for (const peer of peers) peer.destroy();
    server.child.kill("SIGTERM");
    await server.exited;
  }
});
