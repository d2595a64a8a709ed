// TCP and TLS listeners and dialers over real loopback sockets: bytes flow both ways, half-close
// keeps our direction open, dial failures come back as TransportError codes.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { makeSelfSignedCert, type SelfSignedCert } from "../../tools/launch/self-signed-cert.ts";
import type { ByteStream } from "../../transport/byte-stream.ts";
import { connect } from "../../transport/connect.ts";
import type { Listener } from "../../transport/listener.ts";
import { listenTcp } from "../../transport/tcp.ts";
import { listenTls } from "../../transport/tls.ts";
import { TransportError } from "../../transport/transport-error.ts";

function nextConnection(listener: Listener): Promise<ByteStream> {
  return new Promise((resolve) => listener.onConnection(resolve));
}

function readUntil(stream: ByteStream, expected: string): Promise<string> {
  let received = "";
  return new Promise((resolve) => {
    stream.onData((chunk) => {
      received += Buffer.from(chunk).toString("utf8");
      if (received.length >= expected.length) resolve(received);
    });
  });
}

describe("tcp", () => {
  test("port 0 binds a real port and bytes flow both ways", async () => {
    const listener = await listenTcp({ host: "127.0.0.1", port: 0 });
    assert.equal(listener.boundAddress.host, "127.0.0.1");
    assert.equal(listener.boundAddress.transport, "tcp");
    assert.ok(listener.boundAddress.port > 0);
    const accepted = nextConnection(listener);
    const client = await connect("127.0.0.1", listener.boundAddress.port);
    const server = await accepted;
    assert.match(server.remoteAddress, /^127\.0\.0\.1:\d+$/);
    assert.equal(client.remoteAddress, `127.0.0.1:${listener.boundAddress.port}`);

    const atServer = readUntil(server, "hello");
    client.write(Buffer.from("hello"));
    assert.equal(await atServer, "hello");
    const atClient = readUntil(client, "world");
    server.write(Buffer.from("world"));
    assert.equal(await atClient, "world");

    // Half-open streams: the server side closes once it ends its own direction too.
    server.onEnd(() => server.end());
    const closed = new Promise((resolve) => server.onClose(resolve));
    client.end();
    await closed;
    assert.equal(server.closed, true);
    await listener.close();
  });

  test("after the peer's FIN our direction stays open until we end it", async () => {
    const listener = await listenTcp({ host: "127.0.0.1", port: 0 });
    const accepted = nextConnection(listener);
    const client = await connect("127.0.0.1", listener.boundAddress.port);
    const server = await accepted;
    const serverSawEnd = new Promise<void>((resolve) => server.onEnd(resolve));
    server.onData(() => {});
    client.end();
    await serverSawEnd;
    // The peer has finished sending, yet a late reply still reaches it.
    const atClient = readUntil(client, "late reply");
    const clientClosed = new Promise((resolve) => client.onClose(resolve));
    client.onEnd(() => {});
    server.write(Buffer.from("late reply"));
    server.end();
    assert.equal(await atClient, "late reply");
    assert.deepEqual(await clientClosed, { hadError: false });
    await listener.close();
  });

  test("a refused connection rejects with CONNECTION_REFUSED", async () => {
    const listener = await listenTcp({ host: "127.0.0.1", port: 0 });
    const { port } = listener.boundAddress;
    await listener.close();
    await assert.rejects(connect("127.0.0.1", port), (error: unknown) => {
      assert.ok(error instanceof TransportError);
      assert.equal(error.code, "CONNECTION_REFUSED");
      assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
      return true;
    });
  });
});

describe("tls", () => {
  let cert: SelfSignedCert;
  let listener: Listener;

  before(async () => {
    cert = makeSelfSignedCert();
    listener = await listenTls({ host: "127.0.0.1", port: 0, cert: cert.cert, key: cert.key });
    listener.onConnection((stream) => {
      stream.onData((chunk) => stream.write(chunk));
      stream.onEnd(() => stream.end());
    });
  });

  after(async () => {
    await listener.close();
    cert.remove();
  });

  test("with the certificate as CA, bytes are echoed over TLS", async () => {
    assert.equal(listener.boundAddress.transport, "tls");
    const client = await connect("127.0.0.1", listener.boundAddress.port, {
      tls: { ca: cert.cert },
    });
    const echoed = readUntil(client, "over tls");
    client.write(Buffer.from("over tls"));
    assert.equal(await echoed, "over tls");
    client.end();
  });

  test("by host name, verified against the certificate's DNS name", async () => {
    const client = await connect("localhost", listener.boundAddress.port, {
      tls: { ca: cert.cert, servername: "localhost" },
    }).catch((error: unknown) => {
      // localhost may resolve to ::1 only where the listener is IPv4; dial 127.0.0.1 then.
      if (error instanceof TransportError && error.code === "CONNECTION_REFUSED") {
        return connect("127.0.0.1", listener.boundAddress.port, {
          tls: { ca: cert.cert, servername: "localhost" },
        });
      }
      throw error;
    });
    const echoed = readUntil(client, "named");
    client.write(Buffer.from("named"));
    assert.equal(await echoed, "named");
    client.end();
  });

  test("an untrusted self-signed certificate rejects with TLS_FAILURE", async () => {
    await assert.rejects(
      connect("127.0.0.1", listener.boundAddress.port, { tls: {} }),
      (error: unknown) => {
        assert.ok(error instanceof TransportError);
        assert.equal(error.code, "TLS_FAILURE");
        return true;
      },
    );
  });

  test("insecure skips verification", async () => {
    const client = await connect("127.0.0.1", listener.boundAddress.port, {
      tls: { insecure: true },
    });
    const echoed = readUntil(client, "trusting");
    client.write(Buffer.from("trusting"));
    assert.equal(await echoed, "trusting");
    client.end();
  });

  test("a plain TCP dial to a TLS port does not become a connection", async () => {
    const failed = new Promise<string>((resolve) =>
      listener.onConnectionError((_error, remote) => resolve(remote)),
    );
    const plain = await connect("127.0.0.1", listener.boundAddress.port);
    plain.onData(() => {});
    plain.write(Buffer.from("GET / HTTP/1.1\r\n\r\n"));
    assert.match(await failed, /^127\.0\.0\.1:\d+$/);
    plain.destroy();
  });
});
