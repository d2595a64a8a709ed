/**
 * A real `redis-server` for one test: a free port on 127.0.0.1 (redis has no `--port 0`, so a
 * port is found by binding port 0 first), its own temporary directory, no persistence. `stop()`
 * and `start()` again on the same port model an outage; `client()` gives a plain ioredis
 * connection for checking what the cluster wrote.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { Redis } from "ioredis";
import { tempDir } from "../test-server.ts";

const HANG_GUARD_MS = 10_000;

export class RedisProcess {
  private child: ChildProcess | undefined;
  private output = "";
  private readonly clients: Redis[] = [];

  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async start(): Promise<RedisProcess> {
    const redis = new RedisProcess(await freePort(), await tempDir());
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server (again) and resolves once it accepts connections. */
  async start(): Promise<void> {
    const child = spawn(
      "redis-server",
      [
        "--port",
        String(this.port),
        "--bind",
        "127.0.0.1",
        "--dir",
        this.dir,
        "--save",
        "",
        "--appendonly",
        "no",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    this.child = child;
    child.stdout!.on("data", (chunk: Buffer) => {
      this.output += chunk.toString("utf8");
    });
    child.stderr!.on("data", (chunk: Buffer) => {
      this.output += chunk.toString("utf8");
    });
    await new Promise<void>((resolve, reject) => {
      const guard = setTimeout(
        () => reject(new Error(`redis-server did not start:\n${this.output}`)),
        HANG_GUARD_MS,
      );
      const onData = () => {
        if (!this.output.includes("Ready to accept connections")) return;
        clearTimeout(guard);
        child.stdout!.off("data", onData);
        resolve();
      };
      child.stdout!.on("data", onData);
      child.once("error", (error) => {
        clearTimeout(guard);
        reject(
          new Error(`cannot run redis-server (apt-get install -y redis-server): ${error.message}`),
        );
      });
      child.once("exit", (code) => {
        clearTimeout(guard);
        reject(new Error(`redis-server exited (${code}):\n${this.output}`));
      });
    });
  }

  /** Kills the server and resolves once it has exited. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
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
    await this.stop();
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
