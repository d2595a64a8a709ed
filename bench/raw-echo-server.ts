/**
 * The ceiling for a Node.js server: a `node:net` server that splits the stream into Parrot frames (8-byte
 * header, length-prefixed payload, the generated FrameSplitter) and writes every frame back unchanged. No
 * decoding, no state machine, no sessions, no timers: whatever the Parrot server spends beyond this is the
 * price of the protocol logic.
 *
 * Runs as its own process so it never shares an event loop with the load generator:
 *   node --import tsx bench/raw-echo-server.ts [-l HOST] [-p PORT]
 * prints `raw echo server listening on HOST:PORT` on stdout once it accepts connections.
 */
import { createServer, type Server, type Socket } from "node:net";
import { parseArgs } from "node:util";
import { FrameSplitter } from "../generated/index.ts";
import { isEntryPoint } from "./entry-point.ts";

export const RAW_ECHO_LISTENING_LINE = /raw echo server listening on (?<host>[^\s:]+):(?<port>\d+)/;

function echoFrames(socket: Socket): void {
  const splitter = new FrameSplitter();
  socket.setNoDelay(true);
  socket.on("data", (chunk: Buffer) => {
    let frames: Uint8Array[];
    try {
      frames = splitter.push(chunk);
    } catch {
      // Not Parrot framing: there is no protocol here to report it in, so just hang up.
      socket.destroy();
      return;
    }
    for (const frame of frames) socket.write(frame);
  });
  // A load generator that vanishes must not take the server down with an unhandled 'error'.
  socket.on("error", () => socket.destroy());
}

export function startRawEchoServer(host: string, port: number): Promise<Server> {
  const server = createServer(echoFrames);
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host, port, backlog: 4096 }, () => resolve(server));
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      listen: { type: "string", short: "l", default: "127.0.0.1" },
      port: { type: "string", short: "p", default: "0" },
    },
  });
  const server = await startRawEchoServer(values.listen, Number(values.port));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("not a TCP listener");
  process.stdout.write(`raw echo server listening on ${address.address}:${address.port}\n`);
  // Nothing to drain or save: the bench stops this server only after its generator has finished.
  process.on("SIGTERM", () => process.exit(0));
  process.on("SIGINT", () => process.exit(0));
}

if (isEntryPoint(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`raw echo server: ${String(error)}\n`);
    process.exit(1);
  });
}
