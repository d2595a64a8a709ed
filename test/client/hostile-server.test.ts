// The reference client (the real CLI, scripted mode) against a scripted hostile server, for the
// findings of issue 18: what it says about refused logins, and that a server which keeps the
// connection busy without answering cannot keep a --send client from exiting.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { PduChannel } from "../../transport/pdu-channel.ts";
import { runClient } from "./client-process.ts";
import { chooseVersionOne, type FakeBehaviour, startFakeServer } from "./fake-server.ts";

function argsFor(port: number, ...sends: string[]): string[] {
  const args = ["-s", "127.0.0.1", "-p", String(port), "--user", "user1"];
  for (const text of sends) args.push("--send", text);
  return args;
}

const env = { PARROT_PASSWORD: "pass1" };

/** Answers the login with `answer`, then does `after` (an ERROR, say). */
function refusingServer(
  status: "BAD_CREDENTIALS" | "ALREADY_LOGGED_IN",
  text: string,
  after?: (channel: PduChannel) => void,
): FakeBehaviour {
  return (pdu, channel) => {
    if (pdu.type === "VERSION_REQUEST") chooseVersionOne(channel);
    if (pdu.type === "LOGIN_REQUEST") {
      channel.send({ type: "LOGIN_RESPONSE", version: 1, status, text });
      after?.(channel);
    }
    if (pdu.type === "LOGOUT") void channel.close();
  };
}

describe("client against a hostile server", { concurrency: 3 }, () => {
  test("BAD_CREDENTIALS then ERROR TOO_MANY_LOGIN_ATTEMPTS: exit 5 with the code 207", async () => {
    const fake = await startFakeServer(
      refusingServer("BAD_CREDENTIALS", "", (channel) => {
        channel.send({ type: "ERROR", version: 1, code: "TOO_MANY_LOGIN_ATTEMPTS", text: "bye" });
        void channel.close();
      }),
    );
    try {
      const run = await runClient(argsFor(fake.port, "x"), { env });
      assert.equal(run.code, 5, run.stderr);
      assert.match(run.stderr, /bad username or password/);
      assert.match(
        run.stderr,
        /server error 207 TOO_MANY_LOGIN_ATTEMPTS \(the server said: "bye"\)/,
      );
    } finally {
      await fake.close();
    }
  });

  test("ALREADY_LOGGED_IN with the text OK: exit 6, the text quoted as the server's (REQ-5.9)", async () => {
    const fake = await startFakeServer(refusingServer("ALREADY_LOGGED_IN", "OK"));
    try {
      const run = await runClient(argsFor(fake.port, "x"), { env });
      assert.equal(run.code, 6, run.stderr);
      assert.doesNotMatch(run.stderr, /user1 is OK/);
      assert.match(
        run.stderr,
        /user1 is already logged in from another location \(the server said: "OK"\)/,
      );
    } finally {
      await fake.close();
    }
  });

  test("echoes only some messages and sends PONGs it made up: the client gives up, exit 8", async () => {
    // Each PING of the client's is answered with a token it never sent, and then some: only life
    // that answers the client counts, so this server is silent in the client's eyes (REQ-7.8).
    const fake = await startFakeServer((pdu, channel) => {
      if (pdu.type === "VERSION_REQUEST") {
        chooseVersionOne(channel, { pingIntervalMs: 100, pingTimeoutMs: 400 });
      } else if (pdu.type === "LOGIN_REQUEST") {
        channel.send({ type: "LOGIN_RESPONSE", version: 1, status: "OK", text: "" });
      } else if (pdu.type === "CHAT" && pdu.text === "echoed") {
        channel.send({ ...pdu, type: "CHAT_ECHO" });
      } else if (pdu.type === "PING") {
        for (let each = 0; each < 3; each += 1) {
          channel.send({ type: "PONG", version: 1, token: pdu.token + 1000 + each });
        }
      }
    });
    try {
      const run = await runClient(argsFor(fake.port, "echoed", "never echoed"), { env });
      assert.equal(run.code, 8, run.stderr);
      assert.equal(run.stdout, "echoed\n");
      assert.match(run.stderr, /stopped answering/);
    } finally {
      await fake.close();
    }
  });

  test("a connection closed under a logged-in client is told in words, not state names", async () => {
    const fake = await startFakeServer((pdu, channel) => {
      if (pdu.type === "VERSION_REQUEST") chooseVersionOne(channel);
      if (pdu.type === "LOGIN_REQUEST") {
        channel.send({ type: "LOGIN_RESPONSE", version: 1, status: "OK", text: "" });
      }
      if (pdu.type === "CHAT") void channel.close();
    });
    try {
      const run = await runClient(argsFor(fake.port, "anyone?"), { env });
      assert.equal(run.code, 7, run.stderr);
      assert.match(run.stderr, /the server closed the connection while logged in/);
      assert.doesNotMatch(run.stderr, /AUTHENTICATED|NEGOTIATED|CONNECTED/);
    } finally {
      await fake.close();
    }
  });
});
