/**
 * A real `redis-server` (Debian's package) on a free port of 127.0.0.1, in a temporary directory of
 * its own, without persistence: the store of a test cluster (test/server/cluster/), of
 * `make conformance-cluster` and of the cluster benchmark (bench/redis-server-process.ts). No fixed port and nothing shared between two of them. `stop()` then
 * `start()` again on the same port models an outage.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port.ts";

const HANG_GUARD_MS = 10_000;
const MISSING = "cannot run redis-server (apt-get install -y redis-server)";

export class RedisServer {
  private child: ChildProcess | undefined;
  private output = "";

  private constructor(
    readonly port: number,
    private readonly dir: string,
    /** Whether `dir` is this server's own, to remove on close (else the caller's). */
    private readonly ownsDir: boolean,
  ) {}

  /** Starts one, in `dir` or a temporary directory of its own; resolves once it accepts connections. */
  static async start(dir?: string): Promise<RedisServer> {
    const own = dir === undefined;
    const where = dir ?? mkdtempSync(join(tmpdir(), "parrot-redis-"));
    const redis = new RedisServer(await freePort(), where, own);
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server (again, after `stop()`) and resolves once it accepts connections. */
  async start(): Promise<void> {
    const child = spawn(
      "redis-server",
      ["--port", String(this.port), "--bind", "127.0.0.1", "--dir", this.dir]
        // No persistence: a restart is an empty store, and nothing is written to disk.
        .concat(["--save", "", "--appendonly", "no"]),
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    this.child = child;
    const collect = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString("utf8")).slice(-16_384);
    };
    child.stdout!.on("data", collect);
    child.stderr!.on("data", collect);
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
        reject(new Error(`${MISSING}: ${error.message}`));
      });
      child.once("exit", (code) => {
        clearTimeout(guard);
        reject(new Error(`redis-server exited (${code}):\n${this.output}`));
      });
    });
  }

  /** Kills the server (an outage, not a shutdown) and resolves once it has exited. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }

  /** Stops it for good and removes its directory, if it is its own. */
  async close(): Promise<void> {
    await this.stop();
    if (this.ownsDir) rmSync(this.dir, { recursive: true, force: true });
  }
}
