// Client connectors are a registry (transport/connect.ts): a transport the client has never heard
// of (here an in-memory one, standing in for QUIC or WebSocket) is registered by name and the
// unchanged client library runs a whole session over it.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { connectSession } from "../../client/connect-session.ts";
import { connect, dialerKinds, registerDialer } from "../../transport/connect.ts";
import { memoryStreamPair } from "../../transport/memory-stream.ts";
import { PduChannel } from "../../transport/pdu-channel.ts";
import { versionOneServer } from "../client/fake-server.ts";

describe("client dialers by transport kind", () => {
  test("tcp and tls are registered by default", () => {
    assert.deepEqual(dialerKinds().slice(0, 2), ["tcp", "tls"]);
  });

  test("a registered transport carries a whole client session, the client unchanged", async () => {
    const dialed: string[] = [];
    registerDialer("memory-test", async (host, port) => {
      dialed.push(`${host}:${port}`);
      const { client, server } = memoryStreamPair();
      const peer = new PduChannel(server);
      const behaviour = versionOneServer();
      peer.onPdu((pdu) => behaviour(pdu, peer));
      return client;
    });
    const session = await connectSession({ host: "nowhere", port: 1, transport: "memory-test" });
    assert.equal((await session.negotiate([1])).version, 1);
    assert.equal((await session.login("user1", "pass1")).status, "OK");
    const echoed = new Promise<string>((resolve) =>
      session.onEvent((event) => {
        if (event.kind === "echo") resolve(event.text);
      }),
    );
    session.requests.chat("over memory");
    assert.equal(await echoed, "over memory");
    await session.logout();
    assert.deepEqual(dialed, ["nowhere:1"]);
  });

  test("an unregistered kind is refused by name, listing what is registered", async () => {
    await assert.rejects(connect("127.0.0.1", 1, { transport: "carrier-pigeon" }), (error) => {
      assert.match(
        String(error),
        /no dialer for transport "carrier-pigeon" \(registered: tcp, tls/,
      );
      return true;
    });
  });
});
