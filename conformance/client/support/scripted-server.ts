/**
 * The scripted Parrot server of one client scenario: a listener on a free loopback port that takes the
 * client's connection and hands it over as a RawPeer, so steps script every byte the client gets and
 * read every byte it sends. A second connection is refused with a note: the contract's client opens one,
 * except in a scenario that dropped it to see the client come back (`acceptAnother`).
 */
import net from "node:net";
import { RawPeer } from "../../support/raw-peer.ts";

export class ScriptedServer {
  private readonly server: net.Server;
  private accepted: RawPeer | undefined;
  /** A connection accepted after `acceptAnother()` and not yet taken by `connection()`. */
  private arrived: RawPeer | undefined;
  private mayAcceptAnother = false;
  private waiter: ((peer: RawPeer) => void) | undefined;
  /** Connections after the first, which the scripted server closed at once. */
  extraConnections = 0;

  private constructor(server: net.Server) {
    this.server = server;
    server.on("connection", (socket) => {
      if (this.accepted && this.mayAcceptAnother) {
        this.mayAcceptAnother = false;
        this.accepted = RawPeer.accept(socket, "client under test, again");
        this.arrived = this.accepted;
        this.waiter?.(this.accepted);
        return;
      }
      if (this.accepted) {
        this.extraConnections++;
        this.accepted.transcript.note("a second connection from the client was closed at once");
        socket.destroy();
        return;
      }
      this.accepted = RawPeer.accept(socket, "client under test");
      this.arrived = this.accepted;
      this.waiter?.(this.accepted);
    });
  }

  static async listen(): Promise<ScriptedServer> {
    const server = net.createServer({ allowHalfOpen: true });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    return new ScriptedServer(server);
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** The client's next connection, or undefined if it has not connected within `timeoutMs`. */
  connection(timeoutMs: number): Promise<RawPeer | undefined> {
    const take = () => {
      const peer = this.arrived;
      this.arrived = undefined;
      return peer;
    };
    if (this.arrived) return Promise.resolve(take());
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(undefined), timeoutMs);
      this.waiter = () => {
        clearTimeout(timer);
        resolve(take());
      };
    });
  }

  /** The next connection from the client is taken as its new one (after the scenario dropped it). */
  acceptAnother(): void {
    this.mayAcceptAnother = true;
  }

  async close(): Promise<void> {
    this.accepted?.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
