// Parrot over real QUIC on loopback (spec/README.md §13): the reference server with a QUIC
// listener, dialed through the "quic" dialer, with a certificate generated for the test.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import "../../transport/all-dialers.ts";
import type { RunningParrotServer } from "../../server/parrot-server.ts";
import { listenQuic } from "../../transport/quic/quic-listener.ts";
import { quicIdleTimeoutMs } from "../../transport/quic/quic-settings.ts";
import { listenTcp } from "../../transport/tcp.ts";
import { makeSelfSignedCert, type SelfSignedCert } from "../fixtures/self-signed-cert.ts";
import { RawPeer } from "../server/raw-peer.ts";
import { startTestServer } from "../server/test-server.ts";

const PING = { pingIntervalMs: 400, pingTimeoutMs: 600 };

describe("QUIC binding", () => {
  let cert: SelfSignedCert;
  let server: RunningParrotServer;

  before(async () => {
    cert = makeSelfSignedCert();
    server = await startTestServer({
      ...PING,
      listeners: [
        ({ handshakeTimeoutMs }) =>
          listenQuic({
            host: "127.0.0.1",
            port: 0,
            cert: cert.cert,
            key: cert.key,
            idleTimeoutMs: quicIdleTimeoutMs(PING),
            handshakeTimeoutMs,
          }),
        () => listenTcp({ host: "127.0.0.1", port: 0 }),
      ],
    });
  });

  after(async () => {
    await server.close();
    cert.remove();
  });

  const quicAddress = () => server.addresses[0]!;
  const tcpAddress = () => server.addresses[1]!;

  test("log in and chat by IP address, the certificate verified against its CA", async () => {
    assert.equal(quicAddress().transport, "quic");
    const peer = await RawPeer.connect(quicAddress(), {
      transport: "quic",
      tls: { ca: cert.cert },
    });
    await peer.negotiateAndLogin("user1", "pass1");
    assert.equal((await peer.chat(1, "over QUIC 🦜")).text, "over QUIC 🦜");
    await peer.logout();
  });
});
