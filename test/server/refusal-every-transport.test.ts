// A server at its connection limit refuses the excess with ERROR SERVER_FULL, then closes
// (REQ-9.5), over every transport it serves, not only plain TCP. Found by an attack probe: the
// refusal destroyed the stream as soon as the ERROR was handed to it, which over TCP is after
// the bytes reach the kernel, but over TLS, WebSocket and QUIC is before they are even
// encrypted or framed (a QUIC client's stream had not arrived yet): those clients saw a bare
// close, no ERROR, and could not tell a full server from a broken one.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import "../../transport/all-dialers.ts";
import type { RunningParrotServer } from "../../server/parrot-server.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { makeSelfSignedCert, type SelfSignedCert } from "../../tools/launch/self-signed-cert.ts";
import type { ConnectOptions } from "../../transport/connect.ts";
import { listenQuic } from "../../transport/quic/quic-listener.ts";
import { quicIdleTimeoutMs } from "../../transport/quic/quic-settings.ts";
import { listenTcp } from "../../transport/tcp.ts";
import { listenTls } from "../../transport/tls.ts";
import { listenWebSocket } from "../../transport/websocket/websocket-listener.ts";
import { RawPeer } from "./raw-peer.ts";

let cert: SelfSignedCert;
let server: RunningParrotServer;
let holder: RawPeer;

before(async () => {
  cert = makeSelfSignedCert();
  const credentials = { cert: cert.cert, key: cert.key };
  server = await startTestServer({
    maxConnections: 1,
    listeners: [
      () => listenTcp({ host: "127.0.0.1", port: 0 }),
      () => listenTls({ host: "127.0.0.1", port: 0, ...credentials }),
      () => listenWebSocket({ host: "127.0.0.1", port: 0 }),
      () => listenWebSocket({ host: "127.0.0.1", port: 0, tls: credentials }),
      ({ handshakeTimeoutMs }) =>
        listenQuic({
          host: "127.0.0.1",
          port: 0,
          ...credentials,
          idleTimeoutMs: quicIdleTimeoutMs({ pingIntervalMs: 10_000, pingTimeoutMs: 15_000 }),
          handshakeTimeoutMs,
        }),
    ],
  });
  // The one slot is taken for the whole file.
  holder = await RawPeer.connect(server.addresses[0]!);
  await holder.negotiateAndLogin("user1", "pass1");
});

after(async () => {
  holder.destroy();
  await server.close();
  cert.remove();
});

const dialings: [string, number, () => ConnectOptions][] = [
  ["tcp", 0, () => ({})],
  ["tls", 1, () => ({ tls: { ca: cert.cert } })],
  ["ws", 2, () => ({ transport: "ws" })],
  ["wss", 3, () => ({ transport: "ws", tls: { ca: cert.cert } })],
  ["quic", 4, () => ({ transport: "quic", tls: { ca: cert.cert }, timeoutMs: 5000 })],
];

describe("SERVER_FULL reaches the refused client over every transport (REQ-9.5)", () => {
  for (const [name, index, options] of dialings) {
    test(`over ${name}: ERROR SERVER_FULL with header version 0, then the close`, async () => {
      const refused = await RawPeer.connect(server.addresses[index]!, options());
      try {
        // A QUIC client's stream reaches the server with its first bytes.
        refused.send({ type: "VERSION_REQUEST", version: 0, versions: [1] });
        const error = await refused.expectError("SERVER_FULL");
        assert.equal(error.version, 0);
        await refused.expectClosed();
        // The session already in is unaffected.
        assert.equal((await holder.chat(index, "still in")).text, "still in");
      } finally {
        refused.destroy();
      }
    });
  }
});
