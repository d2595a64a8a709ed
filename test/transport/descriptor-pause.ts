/**
 * What a listener guarded by descriptor-guard.ts must show a client, whatever its transport:
 * connections are accepted and served until, short of the process's descriptor limit, connects
 * are refused; those already in are still served; once half of them close, connects succeed
 * again; and the server's log says both. Shared by the TCP and WebSocket tests of the guard.
 */
import assert from "node:assert/strict";
import type { RawPeer } from "../server/raw-peer.ts";

export async function assertPausesAndResumes(
  maxOpenFiles: number,
  tryConnect: () => Promise<RawPeer | "refused">,
  serverLog: () => string,
): Promise<RawPeer[]> {
  const peers: RawPeer[] = [];
  for (;;) {
    assert.ok(peers.length < maxOpenFiles, "never stopped accepting");
    const peer = await tryConnect();
    if (peer === "refused") break;
    peers.push(peer);
  }
  assert.ok(peers.length > maxOpenFiles / 3, `only ${peers.length} connections served`);
  // The sessions already in are still served.
  assert.equal((await peers[0]!.ping(1)).token, 1);

  const leaving = peers.splice(0, Math.ceil(peers.length / 2));
  for (const peer of leaving) {
    peer.destroy();
    await peer.closed();
  }
  // The server listens again once it has seen enough of them close; retry until it has.
  for (;;) {
    const peer = await tryConnect();
    if (peer !== "refused") {
      peers.push(peer);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.match(serverLog(), /file descriptors nearly exhausted: not accepting connections/);
  assert.match(serverLog(), /file descriptors free again: accepting connections/);
  return peers;
}
