/**
 * A TCP port on 127.0.0.1 that was free a moment ago, for a program that cannot pick its own
 * (redis-server has no `--port 0`; a launcher contract's `{port}`). The kernel hands it out by binding
 * port 0; between the close and the program's own bind another process could take it, which the
 * program then reports as an address in use.
 */
import { createServer } from "node:net";

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
