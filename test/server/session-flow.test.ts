// The happy paths and the login rules, against a real in-process server over loopback TCP:
// negotiation, login, echo, ping, logout, duplicate logins, login ordering, attempt limits.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { encode, SUPPORTED_VERSIONS } from "../../generated/index.ts";
import type { RunningParrotServer } from "../../server/parrot-server.ts";
import { DEFAULT_VERSIONS } from "../../server/parrot-server.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { RawPeer } from "./raw-peer.ts";

let server: RunningParrotServer;
const peers: RawPeer[] = [];

async function peer(): Promise<RawPeer> {
  const created = await RawPeer.connect(server.address);
  peers.push(created);
  return created;
}

before(async () => {
  server = await startTestServer({ pingIntervalMs: 10_000, pingTimeoutMs: 15_000 });
});

after(async () => {
  for (const each of peers) each.destroy();
  await server.close();
});

describe("negotiation", () => {
  test("the highest common version is chosen and the timers are advertised", async () => {
    const client = await peer();
    const response = await client.negotiate([...SUPPORTED_VERSIONS, 200, 7]);
    // The server offers the spec's versions it implements (server/handlers/index.ts IMPLEMENTED_VERSIONS).
    assert.deepEqual(response, {
      type: "VERSION_RESPONSE",
      version: 0,
      status: "OK",
      chosenVersion: Math.max(...DEFAULT_VERSIONS),
      pingIntervalMs: 10_000,
      pingTimeoutMs: 15_000,
      supportedVersions: [...DEFAULT_VERSIONS],
    });
  });

  test("a client offering only [1] gets version 1 (downgrade)", async () => {
    const client = await peer();
    const response = await client.negotiate([1]);
    assert.equal(response.status, "OK");
    assert.equal(response.chosenVersion, 1);
    // Negotiated: pings are answered with the negotiated header version.
    assert.deepEqual(await client.ping(5), { type: "PONG", version: 1, token: 5 });
  });

  test("no common version: NO_COMMON_VERSION listing the server's versions, then close", async () => {
    const client = await peer();
    const response = await client.negotiate([7, 9]);
    assert.equal(response.status, "NO_COMMON_VERSION");
    assert.equal(response.chosenVersion, 0);
    assert.deepEqual(response.supportedVersions, [...DEFAULT_VERSIONS]);
    await client.expectClosed();
  });

  test("a second VERSION_REQUEST is refused with ALREADY_NEGOTIATED and the session goes on", async () => {
    const client = await peer();
    await client.negotiate();
    client.send({ type: "VERSION_REQUEST", version: 0, versions: [1] });
    const error = await client.expectError("ALREADY_NEGOTIATED");
    assert.equal(error.version, 1);
    assert.ok(error.text.length > 0);
    assert.equal((await client.login("user1", "pass1")).status, "OK");
    await client.logout();
  });
});

describe("login and chat", () => {
  test("two users chatting at once each get exactly their own echoes", async () => {
    const alice = await peer();
    const bob = await peer();
    await alice.negotiateAndLogin("user1", "pass1");
    await bob.negotiateAndLogin("user2", "pass2");
    for (let id = 0; id < 20; id += 1) {
      alice.send({ type: "CHAT", version: 1, messageId: id, text: `alice ${id}` });
      bob.send({ type: "CHAT", version: 1, messageId: 1000 + id, text: `bob ${id} 🦜` });
    }
    for (let id = 0; id < 20; id += 1) {
      assert.deepEqual(await alice.expect("CHAT_ECHO"), {
        type: "CHAT_ECHO",
        version: 1,
        messageId: id,
        text: `alice ${id}`,
      });
      assert.deepEqual(await bob.expect("CHAT_ECHO"), {
        type: "CHAT_ECHO",
        version: 1,
        messageId: 1000 + id,
        text: `bob ${id} 🦜`,
      });
    }
    await alice.logout();
    await bob.logout();
  });

  test("echo keeps ids 0 and 0xFFFFFFFF, empty text and 4096 bytes of text", async () => {
    const client = await peer();
    await client.negotiateAndLogin("user1", "pass1");
    assert.deepEqual(await client.chat(0, ""), {
      type: "CHAT_ECHO",
      version: 1,
      messageId: 0,
      text: "",
    });
    const longest = "é".repeat(2048);
    assert.deepEqual(await client.chat(0xffffffff, longest), {
      type: "CHAT_ECHO",
      version: 1,
      messageId: 0xffffffff,
      text: longest,
    });
    await client.logout();
  });

  test("PING is answered with PONG carrying the same token, before and after login", async () => {
    const client = await peer();
    await client.negotiate();
    assert.deepEqual(await client.ping(0xdeadbeef), {
      type: "PONG",
      version: 1,
      token: 0xdeadbeef,
    });
    assert.equal((await client.login("user1", "pass1")).status, "OK");
    assert.deepEqual(await client.ping(0), { type: "PONG", version: 1, token: 0 });
    await client.logout();
  });

  test("unknown user and wrong password get identical answers", async () => {
    const client = await peer();
    await client.negotiate();
    const wrongPassword = await client.login("user1", "nope");
    const unknownUser = await client.login("nobody", "pass1");
    assert.equal(wrongPassword.status, "BAD_CREDENTIALS");
    assert.deepEqual(unknownUser, wrongPassword);
    client.destroy();
  });

  test("CHATs written right behind the LOGIN_REQUEST are echoed after the LOGIN_RESPONSE, in order", async () => {
    const client = await peer();
    await client.negotiate();
    const burst = [
      encode({ type: "LOGIN_REQUEST", version: 1, username: "user3", password: "pass3" }),
      ...Array.from({ length: 10 }, (_, id) =>
        encode({ type: "CHAT", version: 1, messageId: id, text: `after login ${id}` }),
      ),
      encode({ type: "PING", version: 1, token: 99 }),
    ];
    client.sendFrame(Buffer.concat(burst));
    assert.equal((await client.expect("LOGIN_RESPONSE")).status, "OK");
    for (let id = 0; id < 10; id += 1) {
      assert.deepEqual(await client.expect("CHAT_ECHO"), {
        type: "CHAT_ECHO",
        version: 1,
        messageId: id,
        text: `after login ${id}`,
      });
    }
    assert.equal((await client.expect("PONG")).token, 99);
    await client.logout();
  });

  test("a CHAT behind a failed login in the same write is refused, not echoed", async () => {
    const client = await peer();
    await client.negotiate();
    client.sendFrame(
      Buffer.concat([
        encode({ type: "LOGIN_REQUEST", version: 1, username: "user3", password: "wrong" }),
        encode({ type: "CHAT", version: 1, messageId: 1, text: "sneaky" }),
      ]),
    );
    assert.equal((await client.expect("LOGIN_RESPONSE")).status, "BAD_CREDENTIALS");
    await client.expectError("AUTHENTICATION_REQUIRED");
    client.destroy();
  });

  test("LOGIN_REQUEST on a logged-in connection: ALREADY_AUTHENTICATED, the login stands", async () => {
    const client = await peer();
    await client.negotiateAndLogin("user1", "pass1");
    client.send({ type: "LOGIN_REQUEST", version: 1, username: "user2", password: "pass2" });
    await client.expectError("ALREADY_AUTHENTICATED");
    assert.equal((await client.chat(1, "still me")).text, "still me");
    await client.logout();
  });

  test("the third BAD_CREDENTIALS is followed by TOO_MANY_LOGIN_ATTEMPTS and close", async () => {
    const client = await peer();
    await client.negotiate();
    assert.equal((await client.login("user1", "x")).status, "BAD_CREDENTIALS");
    assert.equal((await client.login("user1", "y")).status, "BAD_CREDENTIALS");
    assert.equal((await client.login("user1", "z")).status, "BAD_CREDENTIALS");
    await client.expectError("TOO_MANY_LOGIN_ATTEMPTS");
    await client.expectClosed();
  });

  test("LOGOUT closes the connection without a reply", async () => {
    const client = await peer();
    await client.negotiateAndLogin("user2", "pass2");
    client.send({ type: "LOGOUT", version: 1 });
    client.send({ type: "PING", version: 1, token: 1 });
    await client.expectClosed();
  });
});

describe("one live login per user", () => {
  test("a second login is refused while the first session lives; the first keeps its echoes", async () => {
    const first = await peer();
    await first.negotiateAndLogin("user1", "pass1");
    const second = await peer();
    await second.negotiate();
    const refused = await second.login("user1", "pass1");
    assert.deepEqual(refused, {
      type: "LOGIN_RESPONSE",
      version: 1,
      status: "ALREADY_LOGGED_IN",
      text: "already logged in from another location",
    });
    // A wrong password never reveals that the account is in use.
    assert.equal((await second.login("user1", "wrong")).status, "BAD_CREDENTIALS");
    assert.equal((await first.chat(42, "untouched")).text, "untouched");

    // ALREADY_LOGGED_IN does not count as a failed attempt: two more tries are still allowed.
    assert.equal((await second.login("user1", "pass1")).status, "ALREADY_LOGGED_IN");
    assert.equal((await second.login("user1", "pass1")).status, "ALREADY_LOGGED_IN");

    await first.logout();
    assert.equal((await second.login("user1", "pass1")).status, "OK");
    await second.logout();
  });

  test("the login is free again once the first connection drops", async () => {
    const first = await peer();
    await first.negotiateAndLogin("user2", "pass2");
    const second = await peer();
    await second.negotiate();
    assert.equal((await second.login("user2", "pass2")).status, "ALREADY_LOGGED_IN");
    first.destroy();
    await first.closed();
    // The server frees the login as soon as it sees the close; retry until it has seen it.
    let status = (await second.login("user2", "pass2")).status;
    while (status === "ALREADY_LOGGED_IN") {
      await new Promise((resolve) => setImmediate(resolve));
      status = (await second.login("user2", "pass2")).status;
    }
    assert.equal(status, "OK");
    await second.logout();
  });
});
