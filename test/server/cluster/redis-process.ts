/**
 * A real `redis-server` for one test (tools/launch/redis-server.ts: a free port on 127.0.0.1, its own
 * temporary directory, no persistence), with `client()` for a plain ioredis connection to check what
 * the cluster wrote. `stop()` and `start()` again on the same port model an outage.
 */
import { Redis } from "ioredis";
import { RedisServer } from "../../../tools/launch/redis-server.ts";

export class RedisProcess {
  private readonly clients: Redis[] = [];

  private constructor(private readonly server: RedisServer) {}

  static async start(): Promise<RedisProcess> {
    return new RedisProcess(await RedisServer.start());
  }

  get port(): number {
    return this.server.port;
  }

  get url(): string {
    return this.server.url;
  }

  /** Starts the server again after `stop()`; resolves once it accepts connections. */
  start(): Promise<void> {
    return this.server.start();
  }

  /** Kills the server and resolves once it has exited. */
  stop(): Promise<void> {
    return this.server.stop();
  }

  /** A connection to this server, closed by `close()`. */
  client(): Redis {
    const client = new Redis(this.url, { lazyConnect: false, maxRetriesPerRequest: 1 });
    client.on("error", () => {});
    this.clients.push(client);
    return client;
  }

  async close(): Promise<void> {
    for (const client of this.clients) client.disconnect();
    await this.server.close();
  }
}
