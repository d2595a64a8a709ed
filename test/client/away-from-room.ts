/**
 * The situation the version-3 client tests share: two scripted clients in one room, `away`
 * running with --reconnect through a CuttingProxy, `stays` connected straight to the server.
 * `awayWhile` kills away's connection, keeps the server out of its reach while `meanwhile` runs
 * (the proxy closes every new connection), then lets it back and returns what away printed from
 * its return up to its own ROOM_EVENT JOINED, times as "TIME". Synchronised on printed lines.
 */
import type { CuttingProxy } from "./cutting-proxy.ts";
import { ScriptedPeer } from "./scripted-peer.ts";

export const ISO_TIME = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g;

export interface RoomPair {
  away: ScriptedPeer;
  stays: ScriptedPeer;
}

export async function twoInRoom(
  proxy: CuttingProxy,
  serverPort: number,
  room: string,
  [awayUser, awayPassword]: [string, string],
  [staysUser, staysPassword]: [string, string],
): Promise<RoomPair> {
  const away = new ScriptedPeer(awayUser, proxy.port, awayPassword, ["--reconnect"]);
  const stays = new ScriptedPeer(staysUser, serverPort, staysPassword);
  away.type(`/join ${room}`);
  await away.waitFor(`[#${room}] joined`);
  await away.waitFor(`* ${awayUser} joined #${room}`);
  stays.type(`/join ${room}`);
  await stays.waitFor(`[#${room}] joined`);
  // Consumed here, so that awayWhile's wait for away's next join is for the one after its return.
  await away.waitFor(`* ${staysUser} joined #${room}`);
  return { away, stays };
}

export async function awayWhile(
  proxy: CuttingProxy,
  { away, stays }: RoomPair,
  room: string,
  meanwhile: () => Promise<void>,
): Promise<string[]> {
  proxy.refuseNew(true);
  proxy.cut("reset");
  await stays.waitFor(`* ${away.name} left #${room}`);
  await meanwhile();
  const shownBefore = away.lines.length;
  proxy.refuseNew(false);
  await away.waitFor(`* ${away.name} joined #${room}`);
  return away.lines.slice(shownBefore).map((line) => line.replace(ISO_TIME, "TIME"));
}
