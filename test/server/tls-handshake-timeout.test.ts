// Issue 12, defect 1: TCP connections to a TLS port that never start (or never finish) the TLS
// handshake are closed by the server once the handshake timeout has passed, so an attacker
// cannot hold the server's file descriptors by connecting and saying nothing.
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { after, before, test } from "node:test";
import { TIMER_DEFAULTS_MS } from "../../generated/index.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { makeSelfSignedCert, type SelfSignedCert } from "../../tools/launch/self-signed-cert.ts";

const CONNECTIONS = 50;
const HANDSHAKE_TIMEOUT_MS = 1000;

let cert: SelfSignedCert;
before(() => {
  cert = makeSelfSignedCert();
});
after(() => cert.remove());

function openSilently(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => resolve(socket));
    socket.once("error", reject);
  });
}

test(`${CONNECTIONS} TCP connections that send nothing to a TLS port are closed within the handshake timeout`, async () => {
  const server = await startTestServer({
    tls: { cert: cert.cert, key: cert.key },
    handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS,
  });
  const sockets: Socket[] = [];
  try {
    const opened = performance.now();
    for (let i = 0; i < CONNECTIONS; i++) sockets.push(await openSilently(server.address.port));
    const closedAt = sockets.map(
      (socket) =>
        new Promise<number>((resolve) => {
          socket.on("error", () => {});
          // A reset counts as closed too: all that matters is that the server let go.
          socket.once("close", () => resolve(performance.now()));
        }),
    );
    // The spec's timeout tolerance is how late the server may be; past that the server has
    // failed to close them, whatever the reason.
    const deadlineMs = HANDSHAKE_TIMEOUT_MS + TIMER_DEFAULTS_MS.timeoutTolerance;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), opened + deadlineMs - performance.now());
    });
    const outcome = await Promise.race([Promise.all(closedAt), late]);
    clearTimeout(timer);
    const stillOpen = sockets.filter((socket) => !socket.destroyed).length;
    assert.notEqual(
      outcome,
      "late",
      `${stillOpen} of ${CONNECTIONS} still open after ${deadlineMs} ms`,
    );
    // None was closed before the timeout either: the server waits for slow handshakes.
    for (const at of outcome as number[]) assert.ok(at - opened >= HANDSHAKE_TIMEOUT_MS - 50);
  } finally {
    for (const socket of sockets) socket.destroy();
    await server.close();
  }
});
