// PduChannel over real loopback sockets: order, chunking, decode errors (fatal or not), the peer's
// end, pause/resume, graceful close, and that a peer which never reads cannot make us buffer
// without bound.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  type DecodeError,
  encode,
  encodeHeader,
  type Pdu,
  type PduOfType,
} from "../../generated/index.ts";
import type { ByteStream, StreamCloseInfo } from "../../transport/byte-stream.ts";
import { PduChannel, type PeerEndInfo } from "../../transport/pdu-channel.ts";
import { streamPair } from "./stream-pair.ts";

type Event =
  | { kind: "pdu"; pdu: Pdu }
  | { kind: "error"; code: string; fatal: boolean }
  | { kind: "end"; info: PeerEndInfo };

/** Records everything a channel delivers and lets a test wait for the n-th event. */
function record(channel: PduChannel) {
  const events: Event[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const push = (event: Event) => {
    events.push(event);
    for (const waiter of waiters.filter((each) => events.length >= each.count)) waiter.resolve();
  };
  channel.onPdu((pdu) => push({ kind: "pdu", pdu }));
  channel.onDecodeError((error: DecodeError, fatal) =>
    push({ kind: "error", code: error.code, fatal }),
  );
  channel.onEnd((info) => push({ kind: "end", info }));
  return {
    events,
    waitFor(count: number): Promise<Event[]> {
      if (events.length >= count) return Promise.resolve(events);
      return new Promise((resolve) => waiters.push({ count, resolve: () => resolve(events) }));
    },
  };
}

const ping = (token: number): PduOfType<"PING"> => ({ type: "PING", version: 1, token });

describe("PduChannel", () => {
  test("PDUs arrive whole and in order, both ways", async () => {
    const { client, server } = await streamPair();
    const clientChannel = new PduChannel(client);
    const serverChannel = new PduChannel(server);
    const atServer = record(serverChannel);
    const atClient = record(clientChannel);
    clientChannel.send({ type: "VERSION_REQUEST", version: 0, versions: [1, 2] });
    clientChannel.send({ type: "CHAT", version: 1, messageId: 7, text: "héllo 🦜" });
    const received = await atServer.waitFor(2);
    assert.deepEqual(
      received.map((event) => event.kind === "pdu" && event.pdu),
      [
        { type: "VERSION_REQUEST", version: 0, versions: [1, 2] },
        { type: "CHAT", version: 1, messageId: 7, text: "héllo 🦜" },
      ],
    );
    serverChannel.send({ type: "CHAT_ECHO", version: 1, messageId: 7, text: "héllo 🦜" });
    const [echo] = await atClient.waitFor(1);
    assert.deepEqual(echo, {
      kind: "pdu",
      pdu: { type: "CHAT_ECHO", version: 1, messageId: 7, text: "héllo 🦜" },
    });
    clientChannel.destroy();
    await serverChannel.closedPromise;
  });

  test("a frame written one byte at a time, and many frames in one write, both decode", async () => {
    const { client, server } = await streamPair();
    const atServer = record(new PduChannel(server));
    const dribbled = encode({ type: "CHAT", version: 1, messageId: 1, text: "slowly" });
    for (const byte of dribbled) {
      client.write(Uint8Array.of(byte));
      // Let each byte go out on its own segment.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const burst = Buffer.concat(Array.from({ length: 50 }, (_, index) => encode(ping(index))));
    client.write(burst);
    const events = await atServer.waitFor(51);
    assert.deepEqual(events[0], {
      kind: "pdu",
      pdu: { type: "CHAT", version: 1, messageId: 1, text: "slowly" },
    });
    assert.deepEqual(
      events
        .slice(1)
        .map((event) => event.kind === "pdu" && event.pdu.type === "PING" && event.pdu.token),
      Array.from({ length: 50 }, (_, index) => index),
    );
    client.destroy();
  });

  test("a whole frame that does not decode is reported, not fatal, and the next frame still arrives", async () => {
    const { client, server } = await streamPair();
    const atServer = record(new PduChannel(server));
    const unknownType = Buffer.concat([
      encodeHeader({ version: 1, messageType: 0x7f, payloadLength: 3 }),
      Buffer.from("abc"),
    ]);
    client.write(Buffer.concat([unknownType, encode(ping(9))]));
    const events = await atServer.waitFor(2);
    assert.deepEqual(events, [
      { kind: "error", code: "UNKNOWN_MESSAGE_TYPE", fatal: false },
      { kind: "pdu", pdu: ping(9) },
    ]);
    client.destroy();
  });

  test("bad magic is fatal: frames before it are delivered, nothing after it", async () => {
    const { client, server } = await streamPair();
    const channel = new PduChannel(server);
    const atServer = record(channel);
    client.write(
      Buffer.concat([encode(ping(1)), Buffer.from("GET / HTTP/1.1\r\n\r\n"), encode(ping(2))]),
    );
    const events = await atServer.waitFor(2);
    assert.deepEqual(events, [
      { kind: "pdu", pdu: ping(1) },
      { kind: "error", code: "BAD_MAGIC", fatal: true },
    ]);
    client.end();
    await channel.close();
    assert.equal(atServer.events.length, 2);
  });

  test("a header declaring 0xFFFFFFFF bytes is FRAME_TOO_LARGE before any payload is sent", async () => {
    const { client, server } = await streamPair();
    const atServer = record(new PduChannel(server));
    client.write(encodeHeader({ version: 1, messageType: 5, payloadLength: 0xffffffff }));
    const [event] = await atServer.waitFor(1);
    assert.deepEqual(event, { kind: "error", code: "FRAME_TOO_LARGE", fatal: true });
    client.destroy();
  });

  test("the peer's end comes after its last frame, with the bytes of a cut-off frame counted", async () => {
    const { client, server } = await streamPair();
    const channel = new PduChannel(server);
    const atServer = record(channel);
    const cutOff = encode(ping(4)).subarray(0, 5);
    client.write(Buffer.concat([encode(ping(3)), cutOff]));
    client.end();
    const events = await atServer.waitFor(2);
    assert.deepEqual(events, [
      { kind: "pdu", pdu: ping(3) },
      { kind: "end", info: { partialFrameBytes: 5 } },
    ]);
    // Nobody closed it, so the channel closes itself once the end has been delivered.
    assert.deepEqual(await channel.closedPromise, { hadError: false });
  });

  test("pause() holds later PDUs, resume() delivers them in order", async () => {
    const { client, server } = await streamPair();
    const channel = new PduChannel(server);
    const tokens: number[] = [];
    let deliveredWhilePaused = -1;
    const allThree = new Promise<void>((resolve) => {
      channel.onPdu((pdu) => {
        assert.equal(pdu.type, "PING");
        tokens.push(pdu.token);
        if (tokens.length === 1) {
          channel.pause();
          setImmediate(() => {
            deliveredWhilePaused = tokens.length;
            channel.resume();
          });
        }
        if (tokens.length === 3) resolve();
      });
    });
    client.write(Buffer.concat([encode(ping(1)), encode(ping(2)), encode(ping(3))]));
    await allThree;
    assert.equal(deliveredWhilePaused, 1);
    assert.deepEqual(tokens, [1, 2, 3]);
    client.destroy();
  });

  test("an exception in a listener goes to onFault, and delivery goes on", async () => {
    const { client, server } = await streamPair();
    const channel = new PduChannel(server);
    const faults: unknown[] = [];
    channel.onFault((error) => faults.push(error));
    const tokens: number[] = [];
    const second = new Promise<void>((resolve) => {
      channel.onPdu((pdu) => {
        assert.equal(pdu.type, "PING");
        tokens.push(pdu.token);
        if (pdu.token === 1) throw new Error("listener bug");
        resolve();
      });
    });
    // One write, so the second frame is usually queued behind the one whose listener throws.
    client.write(Buffer.concat([encode(ping(1)), encode(ping(2))]));
    await second;
    assert.deepEqual(tokens, [1, 2]);
    assert.equal(faults.length, 1);
    assert.match(String(faults[0]), /listener bug/);
    client.destroy();
  });

  test("close() flushes everything sent before it, then ends; later sends are dropped", async () => {
    const { client, server } = await streamPair();
    const serverChannel = new PduChannel(server);
    const atClient = record(new PduChannel(client));
    for (let token = 0; token < 100; token += 1)
      serverChannel.send({ type: "PONG", version: 1, token });
    const closed = serverChannel.close();
    assert.equal(serverChannel.send({ type: "PONG", version: 1, token: 100 }), false);
    const events = await atClient.waitFor(101);
    assert.deepEqual(
      events.map((event) =>
        event.kind === "pdu" && event.pdu.type === "PONG" ? event.pdu.token : event.kind,
      ),
      [...Array.from({ length: 100 }, (_, token) => token), "end"],
    );
    assert.deepEqual(await closed, { hadError: false });
  });

  test("with pauseReadingWhileBlocked, a peer that never reads stops being read", async () => {
    const { client, server } = await streamPair();
    const spied = spyOnPauses(server);
    const channel = new PduChannel(spied.stream, { pauseReadingWhileBlocked: true });
    const total = 3000;
    const text = "x".repeat(4096);
    let delivered = 0;
    let largestBuffer = 0;
    channel.onPdu((pdu) => {
      assert.equal(pdu.type, "CHAT");
      delivered += 1;
      channel.send({ type: "CHAT_ECHO", version: 1, messageId: pdu.messageId, text: pdu.text });
      largestBuffer = Math.max(largestBuffer, spied.writableLength());
    });
    // 12 MiB of CHATs, each answered with a 4 KiB echo the client does not read yet.
    for (let id = 0; id < total; id += 1)
      client.write(encode({ type: "CHAT", version: 1, messageId: id, text }));
    // Either the channel stops reading (correct), or it reads everything (the bug).
    await Promise.race([spied.firstPause, until(() => delivered === total, channel)]);
    assert.ok(delivered < total, "the channel read every CHAT although nobody read the echoes");

    const echoes: number[] = [];
    const clientChannel = new PduChannel(client);
    const allEchoes = new Promise<void>((resolve) => {
      clientChannel.onPdu((pdu) => {
        assert.equal(pdu.type, "CHAT_ECHO");
        echoes.push(pdu.messageId);
        if (echoes.length === total) resolve();
      });
    });
    await allEchoes;
    assert.deepEqual(
      echoes,
      Array.from({ length: total }, (_, id) => id),
    );
    // Bounded by the high-water mark plus the echoes of one read, not by what the peer sent.
    assert.ok(
      largestBuffer < 1024 * 1024,
      `buffered ${largestBuffer} bytes for a peer that did not read`,
    );
    clientChannel.destroy();
  });

  test("fan-out backed up with sendUnasked does not stop the peer being read (REQ-12.41)", async () => {
    const { client, server } = await streamPair();
    const spied = spyOnPauses(server);
    const channel = new PduChannel(spied.stream, { pauseReadingWhileBlocked: true });
    let paused = false;
    void spied.firstPause.then(() => {
      paused = true;
    });
    // Others' room messages the peer does not read, until the socket wants a drain.
    const text = "x".repeat(4096);
    let written = 0;
    while (!channel.writableNeedDrain) {
      const relayed = {
        type: "ROOM_MESSAGE" as const,
        version: 2,
        messageId: written,
        room: "r",
        from: "a",
        text,
      };
      channel.sendUnasked(encode(relayed));
      written += 1;
    }
    // The peer keeps talking without reading: every one of its frames is still delivered.
    const says = 200;
    let delivered = 0;
    const all = until(() => ++delivered === says, channel);
    for (let id = 0; id < says; id += 1)
      client.write(encode({ type: "ROOM_SAY", version: 2, messageId: id, room: "r", text: "hi" }));
    // Either every frame is delivered (correct), or the channel stops reading first (the bug).
    await Promise.race([all, spied.firstPause]);
    assert.equal(paused || delivered < says, false, "the channel stopped reading for fan-out");
    // An answer into the full socket does hold reading (the peer does not read its answers).
    channel.send({ type: "PONG", version: 2, token: 1 });
    await spied.firstPause;
    channel.destroy();
    client.destroy();
  });
});

/** Wraps a stream to learn when a channel pauses reading. */
function spyOnPauses(inner: ByteStream) {
  let notify: () => void = () => {};
  const firstPause = new Promise<void>((resolve) => {
    notify = resolve;
  });
  const stream: ByteStream = {
    get remoteAddress() {
      return inner.remoteAddress;
    },
    get writableNeedDrain() {
      return inner.writableNeedDrain;
    },
    get closed() {
      return inner.closed;
    },
    write: (bytes) => inner.write(bytes),
    end: () => inner.end(),
    destroy: () => inner.destroy(),
    pauseReading: () => {
      inner.pauseReading();
      notify();
    },
    resumeReading: () => inner.resumeReading(),
    onData: (listener) => inner.onData(listener),
    onDrain: (listener) => inner.onDrain(listener),
    onEnd: (listener) => inner.onEnd(listener),
    onClose: (listener: (info: StreamCloseInfo) => void) => inner.onClose(listener),
  };
  // The socket's own count of bytes accepted by write() but not yet handed to the kernel.
  const writableLength = () =>
    (inner as unknown as { socket: { writableLength: number } }).socket.writableLength;
  return { stream, firstPause, writableLength };
}

/** Resolves once `condition` holds, checking after each PDU the channel delivers. */
function until(condition: () => boolean, channel: PduChannel): Promise<void> {
  return new Promise((resolve) => channel.onPdu(() => condition() && resolve()));
}
