/**
 * Fixtures for the version-2 server tests: accounts enough for several users at once, and a pool
 * of logged-in RawPeers that a test destroys in one go.
 */
import type { RunningParrotServer } from "../../server/parrot-server.ts";
import { RawPeer } from "./raw-peer.ts";

export const V2_ACCOUNTS = [
  "alice",
  "bob",
  "carol",
  "dave",
  "erin",
  "frank",
  "grace",
  "heidi",
  "ivan",
  "judy",
  "mallory",
  "oscar",
].map((name) => ({ name, password: `${name}-pw` }));

export class PeerPool {
  private readonly peers: RawPeer[] = [];

  constructor(private readonly server: () => RunningParrotServer) {}

  async connect(): Promise<RawPeer> {
    const peer = await RawPeer.connect(this.server().address);
    this.peers.push(peer);
    return peer;
  }

  /** A peer logged in as `name` (password `${name}-pw`), having offered `versions`. */
  async login(name: string, versions: number[] = [1, 2]): Promise<RawPeer> {
    const peer = await this.connect();
    await peer.negotiateAndLogin(name, `${name}-pw`, versions);
    return peer;
  }

  destroyAll(): void {
    for (const peer of this.peers.splice(0)) peer.destroy();
  }
}
