// The client facing servers that misbehave in ways the reference server never does: one that
// goes silent, one that breaks the protocol, one that is full. Fake servers are built on the real
// transport (test/client/fake-server.ts); the client is the real CLI.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { SUPPORTED_VERSIONS } from "../../generated/index.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { MANY_TEST_ACCOUNTS } from "../../tools/launch/test-accounts.ts";
import { runClient } from "./client-process.ts";
import { negotiateThenGoSilent, startFakeServer } from "./fake-server.ts";

function argsFor(port: number): string[] {
  return ["-s", "127.0.0.1", "-p", String(port), "--user", "user1", "--send", "anyone there?"];
}

const env = { PARROT_PASSWORD: "pass1" };

describe("client against misbehaving servers", { concurrency: 3 }, () => {
  test("a server silent for its advertised ping timeout is declared dead: exit 8 (REQ-7.8)", async () => {
    const fake = await startFakeServer(
      negotiateThenGoSilent({ pingIntervalMs: 100, pingTimeoutMs: 400 }),
    );
    try {
      const run = await runClient(argsFor(fake.port), { env });
      assert.equal(run.code, 8, run.stderr);
      assert.match(run.stderr, /stopped answering/);
      assert.match(run.stderr, /ping timeout is 400 ms/);
      const types = fake.received.map((pdu) => pdu.type);
      assert.deepEqual(types.slice(0, 2), ["VERSION_REQUEST", "LOGIN_REQUEST"]);
      // It kept pinging at the advertised interval while it waited (REQ-7.1).
      assert.ok(types.includes("PING"), `PINGs sent while waiting: ${types.join(",")}`);
    } finally {
      await fake.close();
    }
  });

  test("a reply in the wrong header version is refused with ERROR WRONG_VERSION: exit 7 (REQ-4.10)", async () => {
    const fake = await startFakeServer((pdu, channel) => {
      if (pdu.type === "VERSION_REQUEST") {
        channel.send({
          type: "VERSION_RESPONSE",
          version: 0,
          status: "OK",
          chosenVersion: 1,
          pingIntervalMs: 10_000,
          pingTimeoutMs: 15_000,
          supportedVersions: [1],
        });
      } else if (pdu.type === "LOGIN_REQUEST") {
        channel.send({ type: "LOGIN_RESPONSE", version: 2, status: "OK", text: "" });
      }
    });
    try {
      const run = await runClient(argsFor(fake.port), { env });
      assert.equal(run.code, 7, run.stderr);
      assert.match(run.stderr, /broke the protocol \(WRONG_VERSION\)/);
      const error = fake.received.find((pdu) => pdu.type === "ERROR");
      assert.equal(error?.type === "ERROR" ? error.code : undefined, "WRONG_VERSION");
      assert.equal(error?.version, 1, "the client's ERROR carries the negotiated version");
    } finally {
      await fake.close();
    }
  });

  test("a version the client did not offer: ERROR WRONG_VERSION in header version 0, exit 7 (REQ-4.5)", async () => {
    const fake = await startFakeServer((pdu, channel) => {
      if (pdu.type !== "VERSION_REQUEST") return;
      channel.send({
        type: "VERSION_RESPONSE",
        version: 0,
        status: "OK",
        chosenVersion: 7,
        pingIntervalMs: 10_000,
        pingTimeoutMs: 15_000,
        supportedVersions: [7],
      });
    });
    try {
      const run = await runClient(argsFor(fake.port), { env });
      assert.equal(run.code, 7, run.stderr);
      assert.match(run.stderr, /chose protocol version 7, which was not offered/);
      assert.ok(!fake.received.some((pdu) => pdu.type === "LOGIN_REQUEST"), "no password sent");
      const error = fake.received.find((pdu) => pdu.type === "ERROR");
      assert.equal(error?.type === "ERROR" ? error.code : undefined, "WRONG_VERSION");
      assert.equal(error?.version, 0, "nothing was negotiated: header version 0");
    } finally {
      await fake.close();
    }
  });

  test("a CHAT refused instead of echoed does not hang the logout: reported, exit 7", async () => {
    // An otherwise correct server that refuses one message with a non-closing ERROR.
    const fake = await startFakeServer((pdu, channel) => {
      switch (pdu.type) {
        case "VERSION_REQUEST":
          channel.send({
            type: "VERSION_RESPONSE",
            version: 0,
            status: "OK",
            chosenVersion: 1,
            pingIntervalMs: 10_000,
            pingTimeoutMs: 15_000,
            supportedVersions: [1],
          });
          return;
        case "LOGIN_REQUEST":
          channel.send({ type: "LOGIN_RESPONSE", version: 1, status: "OK", text: "" });
          return;
        case "CHAT":
          if (pdu.text === "refuse me") {
            channel.send({ type: "ERROR", version: 1, code: "STRING_TOO_LONG", text: "no" });
          } else {
            channel.send({ ...pdu, type: "CHAT_ECHO" });
          }
          return;
        case "PING":
          channel.send({ type: "PONG", version: 1, token: pdu.token });
          return;
        case "LOGOUT":
          void channel.close();
          return;
      }
    });
    try {
      const sends = ["--send", "one", "--send", "refuse me", "--send", "three"];
      const run = await runClient(
        ["-s", "127.0.0.1", "-p", String(fake.port), "--user", "user1", ...sends],
        { env },
      );
      assert.equal(run.code, 7, run.stderr);
      assert.equal(run.stdout, "one\nthree\n");
      assert.match(run.stderr, /server error 104 STRING_TOO_LONG \(the server said: "no"\)/);
      assert.match(run.stderr, /never echoed 1 message\(s\) \(message ids 2\)/);
      assert.equal(fake.received.at(-1)?.type, "LOGOUT", "it still logged out cleanly");
      // What went over the wire: VERSION_REQUEST in header version 0 offering what the client
      // speaks, then distinct, increasing message ids in the negotiated version.
      assert.deepEqual(fake.received[0], {
        type: "VERSION_REQUEST",
        version: 0,
        versions: [...SUPPORTED_VERSIONS],
      });
      const chats = fake.received.filter((pdu) => pdu.type === "CHAT");
      assert.deepEqual(
        chats.map((chat) => [chat.version, chat.messageId, chat.text]),
        [
          [1, 1, "one"],
          [1, 2, "refuse me"],
          [1, 3, "three"],
        ],
      );
    } finally {
      await fake.close();
    }
  });

  test("ERROR SERVER_FULL in place of the VERSION_RESPONSE: exit 7 naming the code (REQ-9.6)", async () => {
    const full = await startTestServer({ accounts: MANY_TEST_ACCOUNTS, maxConnections: 0 });
    try {
      const run = await runClient(argsFor(full.address.port), { env });
      assert.equal(run.code, 7, run.stderr);
      assert.match(run.stderr, /SERVER_FULL/);
    } finally {
      await full.close();
    }
  });
});
