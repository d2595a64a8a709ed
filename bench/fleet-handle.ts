/**
 * The coordinator's end of a ping-fleet worker (bench/ping-fleet.ts): starts the worker with a raised
 * open-files limit and turns its IPC messages into awaited replies.
 */
import type { ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { spawnWithOpenFiles } from "./open-files.ts";
import type { FleetCommand, FleetEvent } from "./ping-fleet.ts";

type EventName = FleetEvent["event"];

export class FleetHandle {
  private readonly child: ChildProcess;
  private readonly waiting: {
    name: EventName;
    resolve: (e: FleetEvent) => void;
    reject: (e: Error) => void;
  }[] = [];
  private exited: Error | null = null;

  constructor(openFiles: number) {
    const script = fileURLToPath(new URL("./ping-fleet.ts", import.meta.url));
    this.child = spawnWithOpenFiles(openFiles, process.execPath, ["--import", "tsx", script], {
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    let stderr = "";
    this.child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-4096);
    });
    this.child.on("message", (event: FleetEvent) => this.deliver(event));
    this.child.once("exit", (code) => {
      this.exited = new Error(`ping fleet exited (code ${code})\n${stderr}`);
      for (const waiter of this.waiting.splice(0)) waiter.reject(this.exited);
    });
  }

  /** Sends `command` and resolves with the next event named `reply`. */
  request<N extends EventName>(
    command: FleetCommand,
    reply: N,
  ): Promise<Extract<FleetEvent, { event: N }>> {
    if (this.exited) return Promise.reject(this.exited);
    const answer = new Promise<FleetEvent>((resolve, reject) => {
      this.waiting.push({ name: reply, resolve, reject });
    });
    this.child.send(command);
    return answer as Promise<Extract<FleetEvent, { event: N }>>;
  }

  /** Sends a command that has no reply. */
  tell(command: FleetCommand): void {
    if (!this.exited) this.child.send(command);
  }

  kill(): void {
    if (!this.exited) this.child.kill("SIGKILL");
  }

  private deliver(event: FleetEvent): void {
    if (event.event === "failed") {
      for (const waiter of this.waiting.splice(0)) waiter.reject(new Error(event.error));
      return;
    }
    const index = this.waiting.findIndex((w) => w.name === event.event);
    if (index < 0) return;
    const [waiter] = this.waiting.splice(index, 1);
    waiter?.resolve(event);
  }
}
