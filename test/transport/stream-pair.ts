/** Two ends of a real loopback TCP connection, for tests of what runs on top of a ByteStream. */
import type { ByteStream } from "../../transport/byte-stream.ts";
import { connect } from "../../transport/connect.ts";
import { listenTcp } from "../../transport/tcp.ts";

export interface StreamPair {
  /** The dialing end. */
  client: ByteStream;
  /** The accepted end. */
  server: ByteStream;
}

export async function streamPair(): Promise<StreamPair> {
  const listener = await listenTcp({ host: "127.0.0.1", port: 0 });
  const accepted = new Promise<ByteStream>((resolve) => listener.onConnection(resolve));
  const client = await connect("127.0.0.1", listener.boundAddress.port);
  const server = await accepted;
  await listener.close();
  return { client, server };
}
