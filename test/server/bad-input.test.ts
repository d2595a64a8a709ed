// Every kind of bad input gets the spec's ERROR code and, per the error table, closes or not;
// a bystander session logged in beforehand proves the server kept serving everyone else.
// Invalid frames come from spec/vectors/invalid.json, by name.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, afterEach, before, beforeEach, describe, test } from "node:test";
import {
  ERRORS,
  type ErrorCodeName,
  encode,
  encodeHeader,
  encodeUnchecked,
} from "../../generated/index.ts";
import type { RunningParrotServer } from "../../server/parrot-server.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { RawPeer } from "./raw-peer.ts";

const invalidVectors = JSON.parse(
  readFileSync(new URL("../../spec/vectors/invalid.json", import.meta.url), "utf8"),
) as {
  vectors: { name: string; hex: string; error: ErrorCodeName }[];
};

function vector(name: string): { bytes: Buffer; error: ErrorCodeName } {
  const found = invalidVectors.vectors.find((each) => each.name === name);
  if (found === undefined) throw new Error(`no invalid vector named ${name}`);
  return { bytes: Buffer.from(found.hex.replace(/\s+/g, ""), "hex"), error: found.error };
}

let server: RunningParrotServer;
let bystander: RawPeer;
let bystanderMessages = 0;
const peers: RawPeer[] = [];

async function peer(): Promise<RawPeer> {
  const created = await RawPeer.connect(server.address);
  peers.push(created);
  return created;
}

async function negotiatedPeer(): Promise<RawPeer> {
  const created = await peer();
  await created.negotiate();
  return created;
}

/** Expects ERROR `code` and then, as the spec's error table says, a close or a working session. */
async function expectRefusal(client: RawPeer, code: ErrorCodeName): Promise<void> {
  await client.expectError(code);
  if (ERRORS[code].closes) {
    await client.expectClosed();
  } else {
    assert.equal((await client.ping(77)).token, 77, `the connection should go on after ${code}`);
  }
}

before(async () => {
  server = await startTestServer();
});

after(async () => {
  for (const each of peers) each.destroy();
  await server.close();
});

beforeEach(async () => {
  bystander = await peer();
  await bystander.negotiateAndLogin("user2", "pass2");
});

afterEach(async () => {
  // The bystander, logged in before the bad input, is still served.
  bystanderMessages += 1;
  const echo = await bystander.chat(bystanderMessages, `still here ${bystanderMessages}`);
  assert.equal(echo.text, `still here ${bystanderMessages}`);
  await bystander.logout();
});

describe("framing", () => {
  test("an HTTP request is BAD_MAGIC and closes", async () => {
    const client = await peer();
    client.sendFrame(Buffer.from("GET / HTTP/1.1\r\n\r\n"));
    await client.expectError("BAD_MAGIC");
    await client.expectClosed();
  });

  test("a TLS ClientHello on the plain port is BAD_MAGIC and closes", async () => {
    const client = await peer();
    client.sendFrame(vector("bad-magic-tls-client-hello").bytes);
    await client.expectError("BAD_MAGIC");
    await client.expectClosed();
  });

  test("a header declaring 0xFFFFFFFF payload bytes is FRAME_TOO_LARGE and closes", async () => {
    const client = await negotiatedPeer();
    client.sendFrame(vector("frame-too-large-u4-max").bytes);
    await client.expectError("FRAME_TOO_LARGE");
    await client.expectClosed();
  });

  test("a frame dribbled one byte at a time works", async () => {
    const client = await negotiatedPeer();
    for (const byte of encode({
      type: "LOGIN_REQUEST",
      version: 1,
      username: "user1",
      password: "pass1",
    })) {
      client.sendFrame(Uint8Array.of(byte));
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal((await client.expect("LOGIN_RESPONSE")).status, "OK");
    await client.logout();
  });

  test("a truncated header followed by FIN: the server closes", async () => {
    const client = await negotiatedPeer();
    client.sendFrame(encode({ type: "PING", version: 1, token: 1 }).subarray(0, 5));
    client.endOutput();
    await client.expectClosed();
  });
});

describe("payloads", () => {
  test("an unknown message type is refused without closing", async () => {
    const client = await negotiatedPeer();
    // 0x60..0xff are unassigned in every version (spec/README.md §3.2).
    client.sendFrame(
      Buffer.concat([
        encodeHeader({ version: 1, messageType: 0xee, payloadLength: 3 }),
        Buffer.from([1, 2, 3]),
      ]),
    );
    await expectRefusal(client, "UNKNOWN_MESSAGE_TYPE");
  });

  test("invalid UTF-8 in a CHAT is INVALID_UTF8 and closes", async () => {
    const client = await peer();
    await client.negotiateAndLogin("user1", "pass1");
    client.sendFrame(vector("utf8-surrogate").bytes);
    await expectRefusal(client, "INVALID_UTF8");
  });

  test("a malformed payload is MALFORMED_PAYLOAD and closes", async () => {
    const client = await negotiatedPeer();
    client.sendFrame(vector("ping-trailing-byte").bytes);
    await expectRefusal(client, "MALFORMED_PAYLOAD");
  });

  test("a 4097-byte CHAT is STRING_TOO_LONG, the connection goes on", async () => {
    const client = await peer();
    await client.negotiateAndLogin("user1", "pass1");
    client.sendFrame(
      encodeUnchecked({ type: "CHAT", version: 1, messageId: 1, text: "x".repeat(4097) }),
    );
    await client.expectError("STRING_TOO_LONG");
    assert.equal((await client.chat(2, "after")).text, "after");
    await client.logout();
  });
});

describe("flow", () => {
  test("CHAT before login is AUTHENTICATION_REQUIRED, not closing", async () => {
    const client = await negotiatedPeer();
    client.send({ type: "CHAT", version: 1, messageId: 1, text: "too early" });
    await expectRefusal(client, "AUTHENTICATION_REQUIRED");
  });

  test("LOGIN_REQUEST before negotiation is NEGOTIATION_REQUIRED and closes", async () => {
    const client = await peer();
    client.send({ type: "LOGIN_REQUEST", version: 0, username: "user1", password: "pass1" });
    const error = await client.expectError("NEGOTIATION_REQUIRED");
    assert.equal(error.version, 0);
    await client.expectClosed();
  });

  test("a wrong header version after negotiation is WRONG_VERSION and closes", async () => {
    const client = await peer();
    await client.negotiateAndLogin("user1", "pass1");
    client.send({ type: "CHAT", version: 2, messageId: 1, text: "from the future" });
    await expectRefusal(client, "WRONG_VERSION");
  });

  test("a client sending CHAT_ECHO is UNEXPECTED_MESSAGE, not closing", async () => {
    const client = await peer();
    await client.negotiateAndLogin("user1", "pass1");
    client.send({ type: "CHAT_ECHO", version: 1, messageId: 1, text: "I am the server" });
    await expectRefusal(client, "UNEXPECTED_MESSAGE");
    await client.logout();
  });

  test("a peer ERROR whose code does not close is logged, never answered", async () => {
    const client = await negotiatedPeer();
    client.send({ type: "ERROR", version: 1, code: "UNKNOWN_MESSAGE_TYPE", text: "what was that" });
    // The next thing back is the PONG: no ERROR was sent in reply to the ERROR.
    assert.equal((await client.ping(5)).token, 5);
  });

  test("a peer ERROR whose code closes makes the server close, without a reply", async () => {
    const client = await negotiatedPeer();
    client.send({ type: "ERROR", version: 1, code: "INTERNAL_ERROR", text: "client bug" });
    await client.expectClosed();
  });

  test("an empty frame of an unknown type before negotiation is refused without closing", async () => {
    const client = await peer();
    client.sendFrame(encodeHeader({ version: 0, messageType: 0x60, payloadLength: 0 }));
    await client.expectError("UNKNOWN_MESSAGE_TYPE");
    assert.equal((await client.negotiate()).status, "OK");
  });
});

describe("faults inside the server", () => {
  test("an exception while handling one connection is INTERNAL_ERROR for it alone", async () => {
    const faulty = await startTestServer({
      handlers: {
        CHAT() {
          throw new Error("bug in the CHAT handler");
        },
      },
    });
    const other = await RawPeer.connect(faulty.address);
    const victim = await RawPeer.connect(faulty.address);
    try {
      await other.negotiateAndLogin("user1", "pass1");
      await victim.negotiateAndLogin("user2", "pass2");
      victim.send({ type: "CHAT", version: 1, messageId: 1, text: "boom" });
      await victim.expectError("INTERNAL_ERROR");
      await victim.expectClosed();
      assert.equal((await other.ping(3)).token, 3);
      // user2's login was freed by the fault.
      const again = await RawPeer.connect(faulty.address);
      await again.negotiateAndLogin("user2", "pass2");
      again.destroy();
    } finally {
      other.destroy();
      victim.destroy();
      await faulty.close();
    }
  });
});
