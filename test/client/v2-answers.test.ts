// How the client matches the server's answers to its requests (client/chat-requests.ts,
// client/pending-requests.ts): a list of several pages printed as one line, a request the server
// refused reported instead of waited for, and the bookkeeping the logout barrier relies on.
// Driven by a fake version-2 server, since the reference server never refuses a valid DM.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { PendingRequests } from "../../client/pending-requests.ts";
import { runClient } from "./client-process.ts";
import { basicServer, startFakeServer } from "./fake-server.ts";

const NAMES = Array.from({ length: 450 }, (_, i) => `n${String(i).padStart(3, "0")}`);

describe("answers from a version-2 server", () => {
  test("pages are fetched until the total; a refused DM is reported after a clean logout", async () => {
    const fake = await startFakeServer(
      basicServer(2, {
        other: (pdu, channel) => {
          switch (pdu.type) {
            case "WHO_REQUEST":
              channel.send({
                type: "WHO_LIST",
                version: 2,
                requestId: pdu.requestId,
                status: "OK",
                room: pdu.room,
                total: NAMES.length,
                names: NAMES.slice(pdu.offset, pdu.offset + 200),
              });
              return;
            case "ROOM_LIST_REQUEST":
              channel.send({
                type: "ROOM_LIST",
                version: 2,
                requestId: pdu.requestId,
                total: 0,
                rooms: [],
              });
              return;
            case "DIRECT_SEND":
              if (pdu.to === "refuse") {
                channel.send({ type: "ERROR", version: 2, code: "STRING_TOO_LONG", text: "no" });
              } else {
                channel.send({
                  type: "DIRECT_STATUS",
                  version: 2,
                  messageId: pdu.messageId,
                  status: "DELIVERED",
                });
              }
              return;
          }
        },
      }),
    );
    try {
      const run = await runClient(
        ["-s", "127.0.0.1", "-p", String(fake.port), "--user", "user1", "--password-stdin"],
        // The /who comes last, so its later pages are asked for while the client is settling.
        { stdin: "pass1\n/msg refuse x\n/msg ok y\n/rooms\n/who\n" },
      );
      assert.equal(run.code, 7, run.stderr);
      assert.deepEqual(run.stdout.split("\n").slice(0, -1), [
        "[dm to ok] delivered",
        "rooms: (none)",
        `who: ${NAMES.join(", ")}`,
      ]);
      assert.match(run.stderr, /server error 104 STRING_TOO_LONG \(the server said: "no"\)/);
      assert.match(run.stderr, /the server never answered 1 request\(s\) \(DIRECT_SEND 1\)/);
      const whoOffsets = fake.received.flatMap((pdu) =>
        pdu.type === "WHO_REQUEST" ? [pdu.offset] : [],
      );
      assert.deepEqual(whoOffsets, [0, 200, 400]);
      assert.equal(fake.received.at(-1)?.type, "LOGOUT", "it still logged out cleanly");
    } finally {
      await fake.close();
    }
  });
});

describe("PendingRequests: what the logout barrier relies on", () => {
  test("takeSentBy(mark) takes exactly what was sent up to the mark, in send order", () => {
    const pending = new PendingRequests();
    pending.add(7, { kind: "CHAT" });
    pending.add(3, { kind: "DIRECT_SEND", to: "user2" });
    const mark = pending.mark();
    pending.add(9, { kind: "WHO_REQUEST", room: "", collected: [] });
    assert.deepEqual(pending.takeSentBy(mark), [
      { id: 7, kind: "CHAT" },
      { id: 3, kind: "DIRECT_SEND" },
    ]);
    assert.equal(pending.size, 1);
    assert.deepEqual(pending.takeSentBy(pending.mark()), [{ id: 9, kind: "WHO_REQUEST" }]);
  });

  test("an answer is matched only to a request of the kind it answers", () => {
    const pending = new PendingRequests();
    pending.add(1, { kind: "ROOM_SAY", room: "lobby" });
    assert.equal(pending.take(1, ["CHAT"]), undefined);
    assert.equal(pending.has(1, ["ROOM_SAY"]), true);
    assert.deepEqual(pending.take(1, ["ROOM_JOIN", "ROOM_SAY"]), {
      kind: "ROOM_SAY",
      room: "lobby",
    });
    assert.equal(pending.take(1, ["ROOM_SAY"]), undefined);
    assert.equal(pending.size, 0);
  });
});
