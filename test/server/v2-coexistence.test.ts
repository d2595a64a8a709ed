// Version 1 and version 2 on one server (spec §12.1): negotiation picks 2 for a client offering it
// and 1 for a client offering only 1; a version-1 session never receives a version-2 PDU however
// busy the version-2 sessions around it are; version-2 types are refused with the right codes;
// `--versions 1` makes a version-1-only server.
import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import { MESSAGE_RULES, type MessageTypeName, type Pdu } from "../../generated/index.ts";
import type { RunningParrotServer } from "../../server/parrot-server.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { startTestServerProcess } from "../../tools/launch/parrot-process.ts";
import { writeFastUsersFile } from "../../tools/launch/test-accounts.ts";
import { RawPeer } from "./raw-peer.ts";
import { PeerPool, V2_ACCOUNTS } from "./v2-peers.ts";

let server: RunningParrotServer;
let usersFile: string;
const pool = new PeerPool(() => server);

before(async () => {
  usersFile = await writeFastUsersFile(V2_ACCOUNTS);
  server = await startTestServer({ usersFile });
});
afterEach(() => pool.destroyAll());
after(() => server.close());

/** A sample of every version-2 client PDU, as a client would send it in header version `version`. */
function v2ClientPdus(version: number): Pdu[] {
  return [
    { type: "DIRECT_SEND", version, messageId: 1, to: "alice", text: "hi" },
    { type: "ROOM_JOIN", version, requestId: 2, room: "lobby" },
    { type: "ROOM_LEAVE", version, requestId: 3, room: "lobby" },
    { type: "ROOM_SAY", version, messageId: 4, room: "lobby", text: "hi" },
    { type: "ROOM_LIST_REQUEST", version, requestId: 5, offset: 0 },
    { type: "WHO_REQUEST", version, requestId: 6, room: "", offset: 0 },
    { type: "TYPING", version, targetKind: "USER", target: "alice", state: "STARTED" },
    { type: "PRESENCE_SUBSCRIBE", version, enabled: "ON" },
  ];
}

test("every version-2 client type is sampled", () => {
  const sampled = new Set(v2ClientPdus(2).map((pdu) => pdu.type));
  const clientV2 = (Object.keys(MESSAGE_RULES) as MessageTypeName[]).filter(
    (type) => MESSAGE_RULES[type].since === 2 && MESSAGE_RULES[type].sender === "client",
  );
  assert.deepEqual([...sampled].sort(), clientV2.sort());
});

describe("negotiation", () => {
  test("[1, 2] gets 2 and the list [1, 2, 3]; [1] gets 1", async () => {
    const both = await pool.connect();
    const chosen = await both.negotiate([1, 2]);
    assert.deepEqual(
      [chosen.status, chosen.chosenVersion, chosen.supportedVersions],
      ["OK", 2, [1, 2, 3]],
    );
    const old = await pool.connect();
    const downgraded = await old.negotiate([1]);
    assert.deepEqual([downgraded.chosenVersion, downgraded.supportedVersions], [1, [1, 2, 3]]);
  });

  test("version 1 types work unchanged on a version-2 connection, in header version 2", async () => {
    const alice = await pool.login("alice");
    assert.deepEqual(await alice.chat(1, "parrot me"), {
      type: "CHAT_ECHO",
      version: 2,
      messageId: 1,
      text: "parrot me",
    });
    assert.deepEqual(await alice.ping(9), { type: "PONG", version: 2, token: 9 });
  });
});

describe("a version-1 session among version-2 sessions", () => {
  test("sees none of their traffic, and is listed by WHO and announced by presence", async () => {
    const watcher = await pool.login("carol");
    watcher.send({ type: "PRESENCE_SUBSCRIBE", version: 2, enabled: "ON" });
    const old = await pool.login("dave", [1]);
    const alice = await pool.login("alice");
    const bob = await pool.login("bob");
    assert.deepEqual(
      (await watcher.take(3)).map((pdu) => (pdu.type === "PRESENCE_EVENT" ? pdu.user : pdu.type)),
      ["dave", "alice", "bob"],
    );

    // Everything version 2 can do, around the version-1 session.
    alice.send({ type: "PRESENCE_SUBSCRIBE", version: 2, enabled: "ON" });
    for (const peer of [alice, bob]) {
      peer.send({ type: "ROOM_JOIN", version: 2, requestId: 1, room: "lobby" });
      assert.equal((await peer.expect("ROOM_RESULT")).status, "OK");
    }
    alice.send({ type: "ROOM_SAY", version: 2, messageId: 2, room: "lobby", text: "hello room" });
    alice.send({ type: "DIRECT_SEND", version: 2, messageId: 3, to: "bob", text: "hello bob" });
    alice.send({ type: "DIRECT_SEND", version: 2, messageId: 4, to: "dave", text: "hello dave" });
    alice.send({
      type: "TYPING",
      version: 2,
      targetKind: "ROOM",
      target: "lobby",
      state: "STARTED",
    });
    // Once alice's PONG is back, all of that has been handled and relayed.
    const aliceSaw = await alice.drain();
    bob.send({ type: "WHO_REQUEST", version: 2, requestId: 5, room: "", offset: 0 });
    const bobSaw = await bob.drain();
    assert.ok(bobSaw.some((pdu) => pdu.type === "ROOM_MESSAGE"));
    assert.ok(bobSaw.some((pdu) => pdu.type === "DIRECT_MESSAGE"));
    assert.ok(bobSaw.some((pdu) => pdu.type === "TYPING_NOTICE"));
    const who = bobSaw.find((pdu) => pdu.type === "WHO_LIST");
    assert.deepEqual(who?.type === "WHO_LIST" && who.names, ["alice", "bob", "carol", "dave"]);
    assert.ok(
      aliceSaw.some(
        (pdu) =>
          pdu.type === "DIRECT_STATUS" && pdu.messageId === 4 && pdu.status === "NOT_DELIVERED",
      ),
    );

    // A v2 session that ends with rooms and subscribers around it.
    bob.destroy();
    assert.deepEqual(await watcher.take(1), [
      { type: "PRESENCE_EVENT", version: 2, user: "bob", status: "OFFLINE" },
    ]);

    // The version-1 session: nothing at all arrived, and its own protocol still works.
    assert.deepEqual(await old.drain(), []);
    assert.deepEqual(await old.chat(6, "still here"), {
      type: "CHAT_ECHO",
      version: 1,
      messageId: 6,
      text: "still here",
    });
    await old.logout();
    assert.deepEqual(await watcher.take(1), [
      { type: "PRESENCE_EVENT", version: 2, user: "dave", status: "OFFLINE" },
    ]);
  });

  test("a version-2 type in header version 1 is UNSUPPORTED_IN_VERSION, and the session goes on", async () => {
    const old = await pool.login("dave", [1]);
    for (const pdu of v2ClientPdus(1)) {
      old.send(pdu);
      const error = await old.expectError("UNSUPPORTED_IN_VERSION");
      assert.equal(error.version, 1);
    }
    assert.deepEqual(await old.ping(1), { type: "PONG", version: 1, token: 1 });
  });
});

test("a version-2 type before login on a version-2 connection: AUTHENTICATION_REQUIRED, no close", async () => {
  const early = await pool.connect();
  await early.negotiate([1, 2]);
  for (const pdu of v2ClientPdus(2)) {
    early.send(pdu);
    await early.expectError("AUTHENTICATION_REQUIRED");
  }
  assert.equal((await early.login("alice", "alice-pw")).status, "OK");
});

describe("a version-1-only server", () => {
  test("supportedVersions [1]: a client offering [1, 2] gets 1, and version-2 types are refused", async () => {
    const v1Only = await startTestServer({ usersFile, supportedVersions: [1] });
    const client = await RawPeer.connect(v1Only.address);
    try {
      const response = await client.negotiate([1, 2]);
      assert.deepEqual([response.chosenVersion, response.supportedVersions], [1, [1]]);
      assert.equal((await client.login("alice", "alice-pw")).status, "OK");
      client.send(v2ClientPdus(1)[0]!);
      await client.expectError("UNSUPPORTED_IN_VERSION");
    } finally {
      client.destroy();
      await v1Only.close();
    }
  });

  test("parrot server --versions 1 offers only version 1", async () => {
    const running = await startTestServerProcess(["--versions", "1", "--log-level", "warn"], {
      usersFile,
    });
    try {
      const client = await RawPeer.connect(running.address);
      const response = await client.negotiate([1, 2]);
      assert.deepEqual([response.chosenVersion, response.supportedVersions], [1, [1]]);
      client.destroy();
    } finally {
      running.child.kill("SIGTERM");
      assert.equal(await running.exited, 0, running.stderr());
    }
  });
});
