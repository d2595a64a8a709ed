// The QUIC binding's rules a plain dial does not exercise (spec/README.md §14), checked with a
// raw @matrixai/quic client against the reference QUIC listener: ALPN, the one-stream limit, and
// a connection that never opens its Parrot stream.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { QUICClient } from "@matrixai/quic";
import { makeSelfSignedCert, type SelfSignedCert } from "../../tools/launch/self-signed-cert.ts";
import type { Listener } from "../../transport/listener.ts";
import { listenQuic } from "../../transport/quic/quic-listener.ts";
import {
  commonQuicConfig,
  QUIC_APP_ERROR,
  silentQuicLogger,
} from "../../transport/quic/quic-settings.ts";
import { clientCrypto } from "../../transport/quic/quic-token-crypto.ts";

let cert: SelfSignedCert;
let listener: Listener;

before(async () => {
  cert = makeSelfSignedCert();
  listener = await listenQuic({
    host: "127.0.0.1",
    port: 0,
    cert: cert.cert,
    key: cert.key,
    idleTimeoutMs: 20_000,
    handshakeTimeoutMs: 1000,
  });
  // An echo in place of a Parrot session: these rules are below the protocol.
  listener.onConnection((stream) => stream.onData((chunk) => stream.write(chunk)));
});

after(async () => {
  await listener.close();
  cert.remove();
});

function rawClient(applicationProtos: string[]) {
  return QUICClient.createQUICClient(
    {
      host: "127.0.0.1",
      port: listener.boundAddress.port,
      crypto: clientCrypto(),
      config: { ...commonQuicConfig(20_000), applicationProtos, verifyPeer: false },
      logger: silentQuicLogger(),
    },
    { timer: 5000 },
  );
}

test("REQ-14.1: a client without the ALPN 'parrot' is refused with no_application_protocol", async () => {
  await assert.rejects(rawClient(["quic"]), (error: { data?: { errorCode?: number } }) => {
    // CRYPTO_ERROR 0x100 + TLS alert 120 (no_application_protocol), RFC 9001 §8.1.
    assert.equal(error.data?.errorCode, 0x100 + 120);
    return true;
  });
});

test("REQ-14.6: the server allows one bidirectional stream; the first still works", async () => {
  const client = await rawClient(["parrot"]);
  try {
    const first = client.connection.newStream("bidi");
    const writer = first.writable.getWriter();
    const reader = first.readable.getReader();
    await writer.write(new Uint8Array([1, 2, 3]));
    assert.deepEqual([...((await reader.read()).value ?? [])], [1, 2, 3]);
    assert.throws(() => client.connection.newStream("bidi"), /Stream limit/);
    assert.throws(() => client.connection.newStream("uni"), /Stream limit/);
    await writer.write(new Uint8Array([4]));
    assert.deepEqual([...((await reader.read()).value ?? [])], [4]);
  } finally {
    await client.destroy({ force: true });
  }
});

test("REQ-14.7: a connection that opens no stream is closed with NO_STREAM", async () => {
  const client = await rawClient(["parrot"]);
  const closed = new Promise<unknown>((resolve) =>
    client.connection.addEventListener("EventQUICConnectionError", (event) =>
      resolve((event as unknown as { detail: { data?: unknown } }).detail.data),
    ),
  );
  await client.closedP;
  assert.deepEqual(await closed, {
    isApp: true,
    errorCode: QUIC_APP_ERROR.NO_STREAM,
    reason: new Uint8Array(0),
  });
});
