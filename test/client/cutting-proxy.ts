/**
 * A TCP relay on 127.0.0.1 between clients under test and a real server, whose connections a test
 * can break the ways a network breaks them: `cut("reset")` resets the client's side and closes the
 * server's (a crashed router, a killed connection), `cut("eof")` closes both cleanly, and
 * `freeze()` stops relaying while keeping both sockets open, so neither end hears anything (what
 * the client sends is swallowed, and can be waited for); `dropFrozenClients()` then resets the
 * client's side only, leaving the server a half-open connection that it frees only at its ping
 * timeout. Connections made after a cut or freeze relay normally, unless `refuseNew(true)` has the
 * proxy close each new connection at once (the server "away" for as long as a test needs).
 */
import { once } from "node:events";
import { connect, createServer, type Server, type Socket } from "node:net";

interface Relayed {
  client: Socket;
  server: Socket;
}

export class CuttingProxy {
  private readonly live = new Set<Relayed>();
  /** Frozen connections, their server sides kept open until `close()`. */
  private readonly frozen: Relayed[] = [];
  private swallowed = Buffer.alloc(0);
  private swallowWaiters: { text: string; resolve: () => void }[] = [];
  private accepted = 0;
  private refusing = false;
  private waiters: { count: number; resolve: () => void }[] = [];

  private constructor(private readonly listener: Server) {}

  static async start(targetPort: number): Promise<CuttingProxy> {
    const listener = createServer();
    const proxy = new CuttingProxy(listener);
    listener.on("connection", (client) => proxy.relay(client, targetPort));
    listener.listen(0, "127.0.0.1");
    await once(listener, "listening");
    return proxy;
  }

  get port(): number {
    const address = this.listener.address();
    if (address === null || typeof address === "string") throw new Error("proxy not listening");
    return address.port;
  }

  /** Resolves once `count` connections have been accepted since the proxy started. */
  connections(count: number): Promise<void> {
    if (this.accepted >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  /** While on, each new connection is closed at once, before a byte is relayed. */
  refuseNew(on: boolean): void {
    this.refusing = on;
  }

  /** Breaks every connection relayed now. */
  cut(how: "reset" | "eof"): void {
    for (const relayed of this.live) {
      if (how === "reset") relayed.client.resetAndDestroy();
      else relayed.client.end();
      relayed.server.end();
    }
    this.live.clear();
  }

  /** Stops relaying on every connection now, leaving both ends open and unanswered. */
  freeze(): void {
    for (const relayed of this.live) {
      const { client, server } = relayed;
      client.unpipe(server);
      server.unpipe(client);
      // Whatever either end does now (the client writing or closing, the server writing) goes
      // nowhere; what the client wrote is kept so a test can wait for it.
      client.removeAllListeners("end");
      server.removeAllListeners("end");
      client.on("data", (chunk: Buffer) => {
        this.swallowed = Buffer.concat([this.swallowed, chunk]);
        this.wakeSwallowWaiters();
      });
      // unpipe() left both paused (flowing false), which a new "data" listener does not undo.
      client.resume();
      server.resume();
      this.frozen.push(relayed);
    }
    this.live.clear();
  }

  /** Resolves once a frozen connection's client has sent bytes containing `text` (UTF-8). */
  swallowedText(text: string): Promise<void> {
    if (this.swallowed.includes(Buffer.from(text))) return Promise.resolve();
    return new Promise((resolve) => this.swallowWaiters.push({ text, resolve }));
  }

  /** Resets the client's side of every frozen connection; the server's side stays open. */
  dropFrozenClients(): void {
    for (const { client } of this.frozen) client.resetAndDestroy();
  }

  private wakeSwallowWaiters(): void {
    const found = (text: string) => this.swallowed.includes(Buffer.from(text));
    const due = this.swallowWaiters.filter((waiter) => found(waiter.text));
    this.swallowWaiters = this.swallowWaiters.filter((waiter) => !found(waiter.text));
    for (const waiter of due) waiter.resolve();
  }

  async close(): Promise<void> {
    this.cut("eof");
    for (const { client, server } of this.frozen) {
      client.destroy();
      server.destroy();
    }
    this.listener.close();
    await once(this.listener, "close");
  }

  private relay(client: Socket, targetPort: number): void {
    if (this.refusing) {
      client.on("error", () => {});
      client.destroy();
      return;
    }
    const server = connect(targetPort, "127.0.0.1");
    const relayed = { client, server };
    this.live.add(relayed);
    // A broken pipe on either side is what the tests cause; it must not crash the runner.
    client.on("error", () => {});
    server.on("error", () => {});
    client.on("close", () => {
      if (this.live.delete(relayed)) server.destroy();
    });
    server.on("close", () => {
      if (this.live.delete(relayed)) client.destroy();
    });
    client.pipe(server);
    server.pipe(client);
    this.accepted += 1;
    const due = this.waiters.filter((waiter) => this.accepted >= waiter.count);
    this.waiters = this.waiters.filter((waiter) => this.accepted < waiter.count);
    for (const waiter of due) waiter.resolve();
  }
}
