// TLS with a certificate generated for the test, and the connection limit.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { startTlsServerProcess } from "../../tools/launch/parrot-process.ts";
import { makeSelfSignedCert, type SelfSignedCert } from "../../tools/launch/self-signed-cert.ts";
import { RawPeer } from "./raw-peer.ts";

describe("TLS", () => {
  let cert: SelfSignedCert;

  before(() => {
    cert = makeSelfSignedCert();
  });

  after(() => cert.remove());

  test("in-process: negotiate, log in and chat over TLS, verified against the certificate", async () => {
    const server = await startTestServer({ tls: { cert: cert.cert, key: cert.key } });
    try {
      assert.equal(server.address.transport, "tls");
      const peer = await RawPeer.connect(server.address, { tls: { ca: cert.cert } });
      await peer.negotiateAndLogin("user1", "pass1");
      assert.equal((await peer.chat(1, "encrypted 🦜")).text, "encrypted 🦜");
      await peer.logout();
    } finally {
      await server.close();
    }
  });

  test("parrot server --tls-cert/--tls-key says (tls) and serves TLS", async () => {
    const server = await startTlsServerProcess(cert);
    try {
      assert.equal(server.address.transport, "tls");
      const peer = await RawPeer.connect(server.address, { tls: { ca: cert.cert } });
      await peer.negotiateAndLogin("user2", "pass2");
      await peer.logout();
    } finally {
      server.child.kill("SIGTERM");
      assert.equal(await server.exited, 0);
    }
  });
});

describe("connection limit", () => {
  test("beyond maxConnections: ERROR SERVER_FULL with header version 0, then close; room again once one leaves", async () => {
    const server = await startTestServer({ maxConnections: 2 });
    const peers: RawPeer[] = [];
    try {
      for (const [name, password] of [
        ["user1", "pass1"],
        ["user2", "pass2"],
      ] as const) {
        const peer = await RawPeer.connect(server.address);
        peers.push(peer);
        await peer.negotiateAndLogin(name, password);
      }
      const refused = await RawPeer.connect(server.address);
      peers.push(refused);
      const error = await refused.expectError("SERVER_FULL");
      assert.equal(error.version, 0);
      await refused.expectClosed();
      // The sessions already in are unaffected.
      assert.equal((await peers[0]!.chat(1, "still in")).text, "still in");

      await peers[1]!.logout();
      // The server frees the slot once it has seen the close; retry until it has.
      for (;;) {
        const next = await RawPeer.connect(server.address);
        peers.push(next);
        next.send({ type: "VERSION_REQUEST", version: 0, versions: [1] });
        const event = await next.next();
        if (event.kind === "pdu" && event.pdu.type === "VERSION_RESPONSE") break;
        assert.ok(
          event.kind === "pdu" && event.pdu.type === "ERROR" && event.pdu.code === "SERVER_FULL",
          next.describe(),
        );
      }
    } finally {
      for (const peer of peers) peer.destroy();
      await server.close();
    }
  });
});
