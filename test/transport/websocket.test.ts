// The WebSocket binding (spec §2.3) over real WebSockets on loopback: one server listening on TCP
// and on WebSocket at once, so the two share logins; raw `ws` clients for what the reference
// client never sends (text messages, frames split across messages, no subprotocol).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { WebSocket } from "ws";
import { decode, encode, type Pdu } from "../../generated/index.ts";
import type { RunningParrotServer } from "../../server/parrot-server.ts";
import "../../transport/all-dialers.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { makeSelfSignedCert } from "../../tools/launch/self-signed-cert.ts";
import type { BoundAddress } from "../../transport/listener.ts";
import { listenTcp } from "../../transport/tcp.ts";
import { listenWebSocket } from "../../transport/websocket/websocket-listener.ts";
import {
  CLOSE_NORMAL,
  CLOSE_UNSUPPORTED_DATA,
  MAX_MESSAGE_BYTES,
  PARROT_SUBPROTOCOL,
} from "../../transport/websocket/websocket-stream.ts";
import { RawPeer } from "../server/raw-peer.ts";

let server: RunningParrotServer;
let tcp: BoundAddress;
let ws: BoundAddress;

before(async () => {
  server = await startTestServer({
    listeners: [
      () => listenTcp({ host: "127.0.0.1", port: 0 }),
      () => listenWebSocket({ host: "127.0.0.1", port: 0, path: "/" }),
    ],
  });
  [tcp, ws] = server.addresses as [BoundAddress, BoundAddress];
});
after(async () => {
  await server.close();
});

const wsUrl = () => `ws://127.0.0.1:${ws.port}/`;

/** A raw WebSocket client that records every message and how the connection closed. */
async function rawSocket(protocols: string[] = [PARROT_SUBPROTOCOL], url = wsUrl()) {
  const socket = new WebSocket(url, protocols);
  const messages: { binary: boolean; data: Buffer }[] = [];
  socket.on("message", (data: Buffer, binary: boolean) => messages.push({ binary, data }));
  const closed = new Promise<{ code: number; messages: typeof messages }>((resolve) =>
    socket.on("close", (code) => resolve({ code, messages })),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  return { socket, messages, closed };
}

/** Resolves with the next binary message's bytes. */
function nextMessage(socket: WebSocket): Promise<Buffer> {
  return new Promise((resolve) => socket.once("message", (data: Buffer) => resolve(data)));
}

const versionRequest: Pdu = { type: "VERSION_REQUEST", version: 0, versions: [1] };

/** Polls the server's session count: a bounded wait for it to notice a dropped connection. */
async function sessionsDropTo(count: number): Promise<void> {
  for (let turn = 0; server.sessionCount > count; turn++) {
    if (turn > 2000) throw new Error(`still ${server.sessionCount} sessions, expected ${count}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("Parrot over WebSocket (spec §2.3)", () => {
  test("negotiation, login, echo, ping and logout through the registered ws dialer", async () => {
    const peer = await RawPeer.connect(ws, { transport: "ws" });
    await peer.negotiateAndLogin("user1", "pass1");
    assert.equal((await peer.chat(1, "hello over ws")).text, "hello over ws");
    assert.equal((await peer.ping(5)).token, 5);
    await peer.logout();
    await peer.closed();
  });

  test("a user logged in over TCP is refused over WebSocket, and the other way round", async () => {
    const onTcp = await RawPeer.connect(tcp);
    await onTcp.negotiateAndLogin("user1", "pass1");
    const onWs = await RawPeer.connect(ws, { transport: "ws" });
    await onWs.negotiate();
    assert.equal((await onWs.login("user1", "pass1")).status, "ALREADY_LOGGED_IN");
    assert.equal((await onWs.login("user2", "pass2")).status, "OK");
    const secondTcp = await RawPeer.connect(tcp);
    await secondTcp.negotiate();
    assert.equal((await secondTcp.login("user2", "pass2")).status, "ALREADY_LOGGED_IN");
    for (const peer of [onTcp, onWs, secondTcp]) {
      await peer.logout();
      await peer.closed();
    }
  });

  test("REQ-2.12: a frame split over messages and frames sharing one message are read", async () => {
    const { socket } = await rawSocket();
    const frame = encode(versionRequest);
    const answer = nextMessage(socket);
    for (const byte of frame) socket.send(Uint8Array.of(byte));
    const response = decode(await answer);
    assert.equal(response.type, "VERSION_RESPONSE");
    const pings = Buffer.concat(
      [1, 2, 3].map((token) => encode({ type: "PING", version: 1, token })),
    );
    const pongs: Pdu[] = [];
    await new Promise<void>((resolve) => {
      socket.on("message", (data: Buffer) => {
        pongs.push(decode(data));
        if (pongs.length === 3) resolve();
      });
      socket.send(pings);
    });
    // REQ-2.11: each reply came as a message of its own.
    assert.deepEqual(
      pongs.map((pong) => (pong.type === "PONG" ? pong.token : -1)),
      [1, 2, 3],
    );
    socket.close();
  });

  test("REQ-2.15: a message of 8200 bytes and more is read; one over the limit gets 1009", async () => {
    const { socket } = await rawSocket();
    const negotiated = nextMessage(socket);
    socket.send(encode(versionRequest));
    await negotiated;
    const count = 700; // 700 PINGs of 12 bytes: 8400 bytes in one message
    const pings = Buffer.concat(
      Array.from({ length: count }, (_, token) => encode({ type: "PING", version: 1, token })),
    );
    assert.ok(pings.length >= 8200);
    let pongs = 0;
    await new Promise<void>((resolve) => {
      socket.on("message", () => {
        if (++pongs === count) resolve();
      });
      socket.send(pings);
    });
    socket.close();

    const big = await rawSocket();
    big.socket.send(Buffer.alloc(MAX_MESSAGE_BYTES + 1));
    const { code, messages } = await big.closed;
    assert.equal(code, 1009);
    assert.deepEqual(messages, []);
  });

  test("REQ-2.13: a text message gets close code 1003 and no ERROR", async () => {
    const { socket, closed } = await rawSocket();
    socket.send("PR hello");
    const { code, messages } = await closed;
    assert.equal(code, CLOSE_UNSUPPORTED_DATA);
    assert.deepEqual(messages, []);
  });

  test("REQ-2.14: a closing ERROR comes in a binary message, then close code 1000", async () => {
    const { socket, closed } = await rawSocket();
    socket.send(Buffer.from("GET / HTTP/1.1\r\n\r\n"));
    const { code, messages } = await closed;
    assert.equal(messages.length, 1);
    assert.equal(messages[0]?.binary, true);
    const error = decode(messages[0]!.data);
    assert.equal(error.type === "ERROR" && error.code, "BAD_MAGIC");
    assert.equal(code, CLOSE_NORMAL);
  });

  test("REQ-2.14: a dropped connection frees its login", async () => {
    const { socket, closed } = await rawSocket();
    const negotiated = nextMessage(socket);
    socket.send(encode(versionRequest));
    await negotiated;
    const loggedIn = nextMessage(socket);
    socket.send(
      encode({ type: "LOGIN_REQUEST", version: 1, username: "user1", password: "pass1" }),
    );
    const login = decode(await loggedIn);
    assert.equal(login.type === "LOGIN_RESPONSE" && login.status, "OK");
    const before = server.sessionCount;
    socket.terminate();
    await closed;
    await sessionsDropTo(before - 1);
    const again = await RawPeer.connect(tcp);
    await again.negotiateAndLogin("user1", "pass1");
    await again.logout();
    await again.closed();
  });

  test("REQ-2.10: no parrot.v1 subprotocol gets HTTP 400; another path gets 404", async () => {
    for (const [protocols, url, status] of [
      [["chat"], wsUrl(), 400],
      [[PARROT_SUBPROTOCOL], `ws://127.0.0.1:${ws.port}/other`, 404],
    ] as const) {
      const socket = new WebSocket(url, [...protocols]);
      // terminate() before the upgrade completes reports an error; only the status matters here.
      socket.on("error", () => undefined);
      const answered = await new Promise<number>((resolve) => {
        socket.once("unexpected-response", (_request, response) =>
          resolve(response.statusCode ?? 0),
        );
        socket.once("open", () => resolve(101));
      });
      socket.terminate();
      assert.equal(answered, status);
    }
  });

  test("the ws dialer reports a refused upgrade as a TransportError", async () => {
    const other = await startTestServer({
      listeners: [() => listenWebSocket({ host: "127.0.0.1", port: 0, path: "/elsewhere" })],
    });
    try {
      await assert.rejects(RawPeer.connect(other.address, { transport: "ws" }), {
        name: "TransportError",
        code: "CONNECTION_FAILED",
      });
    } finally {
      await other.close();
    }
  });

  test("wss: the certificate is checked, and a trusted one carries a login", async () => {
    const cert = makeSelfSignedCert();
    const secure = await startTestServer({
      listeners: [
        () =>
          listenWebSocket({ host: "127.0.0.1", port: 0, tls: { cert: cert.cert, key: cert.key } }),
      ],
    });
    try {
      assert.equal(secure.address.transport, "wss");
      await assert.rejects(RawPeer.connect(secure.address, { transport: "ws", tls: {} }), {
        code: "TLS_FAILURE",
      });
      const peer = await RawPeer.connect(secure.address, {
        transport: "ws",
        tls: { ca: cert.cert },
      });
      await peer.negotiateAndLogin("user1", "pass1");
      assert.equal((await peer.chat(2, "over wss")).text, "over wss");
      await peer.logout();
      await peer.closed();
    } finally {
      await secure.close();
      cert.remove();
    }
  });
});
