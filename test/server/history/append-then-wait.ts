/**
 * Run as a child process by sqlite-message-store.test.ts: opens the file store at argv[2],
 * appends argv[3] messages to the room "lobby", prints them as one JSON line and waits to be
 * killed (SIGKILL: no close(), no exit handler), as a server dying amid traffic would.
 */
import { roomConversation } from "../../../server/history/conversation.ts";
import { SqliteMessageStore } from "../../../server/history/sqlite-message-store.ts";

const [path, count] = process.argv.slice(2);
const store = new SqliteMessageStore({
  path: path!,
  limits: { historyCount: 100, historyAgeMs: 0, offlineQueue: 10 },
});
const stored = [];
for (let n = 1; n <= Number(count); n++) {
  const draft = { messageId: n, from: "user1", text: `message ${n}`, acceptedAtMs: Date.now() };
  stored.push(await store.append(roomConversation("lobby"), draft));
}
process.stdout.write(`${JSON.stringify(stored)}\n`);
setInterval(() => {}, 60_000);
