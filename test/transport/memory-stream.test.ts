// The in-memory ByteStream keeps the contract of byte-stream.ts, as the TCP one does: bytes in
// order, reading paused and resumed, back-pressure with drain, half-close, one close per end.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { MEMORY_STREAM_HIGH_WATER_BYTES, memoryStreamPair } from "../../transport/memory-stream.ts";

const text = (chunks: Uint8Array[]) => Buffer.concat(chunks).toString("utf8");

describe("memoryStreamPair", () => {
  test("bytes flow both ways in order; after the peer's FIN our direction stays open", async () => {
    const { client, server } = memoryStreamPair();
    const atServer: Uint8Array[] = [];
    server.onData((chunk) => atServer.push(chunk));
    const serverSawEnd = new Promise<void>((resolve) => server.onEnd(resolve));
    client.write(Buffer.from("hel"));
    client.write(Buffer.from("lo"));
    client.end();
    await serverSawEnd;
    assert.equal(text(atServer), "hello");
    assert.equal(server.closed, false);

    const atClient: Uint8Array[] = [];
    client.onData((chunk) => atClient.push(chunk));
    const closes = Promise.all([
      new Promise((resolve) => client.onClose(resolve)),
      new Promise((resolve) => server.onClose(resolve)),
    ]);
    assert.equal(server.write(Buffer.from("world")), true);
    server.end();
    assert.deepEqual(await closes, [{ hadError: false }, { hadError: false }]);
    assert.equal(text(atClient), "world");
    assert.equal(client.closed && server.closed, true);
  });

  test("nothing is delivered while reading is paused; a full reader makes the writer wait for drain", async () => {
    const { client, server } = memoryStreamPair();
    const received: Uint8Array[] = [];
    server.pauseReading();
    server.onData((chunk) => received.push(chunk));
    const big = new Uint8Array(MEMORY_STREAM_HIGH_WATER_BYTES);
    assert.equal(client.write(big), false);
    assert.equal(client.writableNeedDrain, true);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(received.length, 0);
    const drained = new Promise<void>((resolve) => client.onDrain(resolve));
    server.resumeReading();
    await drained;
    assert.equal(received.length, 1);
    assert.equal(client.writableNeedDrain, false);
  });

  test("destroy closes both ends: the peer sees a reset", async () => {
    const { client, server } = memoryStreamPair();
    const serverClosed = new Promise((resolve) => server.onClose(resolve));
    client.destroy();
    const info = (await serverClosed) as { hadError: boolean };
    assert.equal(info.hadError, true);
    assert.equal(client.write(Buffer.from("late")), false);
  });
});
