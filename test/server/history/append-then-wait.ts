/**
 * Run as a child process by sqlite-store.test.ts: opens the file store at argv[2], appends
 * argv[3] messages to room:lobby, prints them as one JSON line and waits to be killed (kill -9:
 * no close(), no exit handler), as a server dying in the middle of traffic would.
 */
import { SqliteHistoryStore } from "../../../server/history/sqlite-store.ts";

const [path, count] = process.argv.slice(2);
const store = new SqliteHistoryStore({
  path: path!,
  bounds: { count: 100, ageMs: 0, offlineQueue: 10 },
});
const kept = [];
for (let n = 1; n <= Number(count); n++) {
  kept.push(
    await store.append("room:lobby", { from: "user1", messageId: n, text: `message ${n}` }),
  );
}
process.stdout.write(`${JSON.stringify(kept)}\n`);
setInterval(() => {}, 60_000);
