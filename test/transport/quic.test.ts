// Parrot over real QUIC on loopback (spec/README.md §14): the reference server with a QUIC
// listener beside a TCP one, dialed through the "quic" dialer, with a certificate generated for
// the test. One login per user whatever the transport; dead peers are noticed by the protocol's
// ping timeout; shutdown reaches QUIC sessions as it does TCP ones.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import "../../transport/all-dialers.ts";
import type { ParrotServerOptions, RunningParrotServer } from "../../server/parrot-server.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { makeSelfSignedCert, type SelfSignedCert } from "../../tools/launch/self-signed-cert.ts";
import type { BoundAddress } from "../../transport/listener.ts";
import { listenQuic } from "../../transport/quic/quic-listener.ts";
import { quicIdleTimeoutMs } from "../../transport/quic/quic-settings.ts";
import { listenTcp } from "../../transport/tcp.ts";
import { TransportError } from "../../transport/transport-error.ts";
import { spawnClient } from "../client/client-process.ts";
import { RawPeer } from "../server/raw-peer.ts";

let cert: SelfSignedCert;
let otherCert: SelfSignedCert;

before(() => {
  cert = makeSelfSignedCert();
  otherCert = makeSelfSignedCert();
});

after(() => {
  cert.remove();
  otherCert.remove();
});

/** A reference server serving QUIC (addresses[0]) and TCP (addresses[1]) on loopback. */
function startQuicServer(options: ParrotServerOptions = {}): Promise<RunningParrotServer> {
  const timers = {
    pingIntervalMs: options.pingIntervalMs ?? 10_000,
    pingTimeoutMs: options.pingTimeoutMs ?? 15_000,
  };
  return startTestServer({
    ...options,
    listeners: [
      ({ handshakeTimeoutMs }) =>
        listenQuic({
          host: "127.0.0.1",
          port: 0,
          cert: cert.cert,
          key: cert.key,
          idleTimeoutMs: quicIdleTimeoutMs(timers),
          handshakeTimeoutMs,
        }),
      () => listenTcp({ host: "127.0.0.1", port: 0 }),
    ],
  });
}

function quicPeer(
  address: BoundAddress,
  tls: { ca?: Buffer; insecure?: boolean; servername?: string } = { ca: cert.cert },
) {
  return RawPeer.connect(address, { transport: "quic", tls, timeoutMs: 5000 });
}

describe("QUIC with the spec's timers", () => {
  let server: RunningParrotServer;
  const quic = () => server.addresses[0]!;
  const tcp = () => server.addresses[1]!;

  before(async () => {
    server = await startQuicServer();
  });

  after(() => server.close());

  test("log in and chat by IP address, the certificate verified against its CA", async () => {
    assert.equal(quic().transport, "quic");
    const peer = await quicPeer(quic());
    await peer.negotiateAndLogin("user1", "pass1");
    assert.equal((await peer.chat(1, "over QUIC 🦜")).text, "over QUIC 🦜");
    // Frames back to back in one write, and one frame split across writes (REQ-14.2).
    peer.send({ type: "CHAT", version: 1, messageId: 2, text: "two" });
    peer.send({ type: "CHAT", version: 1, messageId: 3, text: "three" });
    assert.deepEqual(
      (await peer.take(2)).map((pdu) => pdu.type === "CHAT_ECHO" && pdu.messageId),
      [2, 3],
    );
    await peer.logout();
  });

  test("a certificate from another CA, or for another name, is refused with TLS_FAILURE", async () => {
    for (const tls of [{ ca: otherCert.cert }, { ca: cert.cert, servername: "other.example" }]) {
      await assert.rejects(quicPeer(quic(), tls), (error: unknown) => {
        assert.ok(error instanceof TransportError, String(error));
        assert.equal(error.code, "TLS_FAILURE");
        return true;
      });
    }
    // --insecure skips the check (testing only).
    const peer = await quicPeer(quic(), { insecure: true });
    await peer.negotiate();
    peer.destroy();
  });

  test("one login per user across transports: a TCP session blocks QUIC, and the other way", async () => {
    const onTcp = await RawPeer.connect(tcp());
    await onTcp.negotiateAndLogin("user2", "pass2");
    const onQuic = await quicPeer(quic());
    await onQuic.negotiate();
    assert.equal((await onQuic.login("user2", "pass2")).status, "ALREADY_LOGGED_IN");
    await onTcp.logout();
    assert.equal((await onQuic.login("user2", "pass2")).status, "OK");
    const again = await RawPeer.connect(tcp());
    await again.negotiate();
    assert.equal((await again.login("user2", "pass2")).status, "ALREADY_LOGGED_IN");
    again.destroy();
    await onQuic.logout();
  });
});

describe("QUIC with short ping timers", () => {
  let server: RunningParrotServer;
  const quic = () => server.addresses[0]!;

  before(async () => {
    server = await startQuicServer({ pingIntervalMs: 1000, pingTimeoutMs: 3000 });
  });

  after(() => server.close());

  test("a silent QUIC session gets PING_TIMEOUT from the protocol, not QUIC's idle timeout", async () => {
    const silent = await quicPeer(quic());
    await silent.negotiateAndLogin("user1", "pass1");
    await silent.expectError("PING_TIMEOUT");
    await silent.expectClosed();
    const next = await quicPeer(quic());
    await next.negotiateAndLogin("user1", "pass1");
    await next.logout();
  });

  test("a client killed with -9 is noticed: its login is freed and watchers see it go OFFLINE", async () => {
    const watcher = await quicPeer(quic());
    await watcher.negotiateAndLogin("user3", "pass3", [2]);
    const keepAlive = setInterval(() => watcher.send({ type: "PING", version: 2, token: 1 }), 300);
    try {
      const client = spawnClient(
        [
          "--transport",
          "quic",
          "-s",
          "127.0.0.1",
          "-p",
          String(quic().port),
          "--ca",
          cert.certFile,
          "--user",
          "user2",
        ],
        { env: { PARROT_PASSWORD: "pass2" }, stdin: "hello over quic\n", keepStdinOpen: true },
      );
      assert.deepEqual(await client.lines(1), ["hello over quic"]);
      watcher.send({ type: "PRESENCE_SUBSCRIBE", version: 2, enabled: "ON" });
      client.child.kill("SIGKILL");
      let offline: unknown;
      while (offline === undefined) {
        const [pdu] = await watcher.take(1);
        if (pdu?.type === "PRESENCE_EVENT" && pdu.user === "user2") offline = pdu.status;
      }
      assert.equal(offline, "OFFLINE");
    } finally {
      clearInterval(keepAlive);
    }
    const next = await quicPeer(quic());
    await next.negotiateAndLogin("user2", "pass2");
    await next.logout();
    watcher.destroy();
  });
});

test("shutdown: a QUIC session gets ERROR SERVER_SHUTDOWN, then the close", async () => {
  const server = await startQuicServer();
  const peer = await quicPeer(server.addresses[0]!);
  await peer.negotiateAndLogin("user1", "pass1");
  await server.close();
  await peer.expectError("SERVER_SHUTDOWN");
  await peer.expectClosed();
});
