/**
 * The state of one client scenario: what the scripted server will say (its versions, its timers), what
 * the client is told to do (its offer, its input lines), and, once started, the scripted server, the
 * client process and the one connection between them. Cucumber makes a fresh world per scenario;
 * `cleanup()` stops the client and the server, so nothing of a scenario outlives it.
 */
import { type IWorldOptions, World } from "@cucumber/cucumber";
import type { LoginStatusName } from "../../../generated/index.ts";
import { ConformanceFailure } from "../../support/conformance-failure.ts";
import { COMMAND_DIR } from "../../support/reference-cli.ts";
import { CLIENT_ACCOUNT, type ClientSuiteParameters } from "./client-parameters.ts";
import { ClientProcess } from "./client-process.ts";
import { ScriptedRoom } from "./scripted-room.ts";
import { ScriptedServer } from "./scripted-server.ts";
import { type AdvertisedTimers, ScriptedSession } from "./scripted-session.ts";
import { newVersion3Requests } from "./version-3-requests.ts";

/** Short timers, so the keep-alive scenarios take seconds; a scenario may advertise others. */
export const DEFAULT_TIMERS: AdvertisedTimers = { pingIntervalMs: 1000, pingTimeoutMs: 3000 };

export class ClientWorld extends World<ClientSuiteParameters> {
  /** The scenario's tags (@REQ-x.y, @MUST, ...), for steps whose judgement depends on them. */
  tags: string[] = [];
  /** The versions the client is told to offer ({versions}). */
  offered: number[] = [1, 2];
  /** The versions the scripted server lists in its VERSION_RESPONSE. */
  serverVersions: number[] = [1, 2];
  timers: AdvertisedTimers = { ...DEFAULT_TIMERS };
  /** The lines the client is given on stdin, in order. */
  readonly lines: string[] = [];
  /** Whether stdin stays open after the lines (the client stays connected) or ends at once. */
  keepInputOpen = false;
  /** Whether the scripted server writes every PDU one byte at a time. */
  dribble = false;
  /** The scripted server's answer to the login, repeated if the client asks again. */
  loginAnswer: { status: LoginStatusName; text: string } | undefined;
  /** When the login was answered, for the scenario that held it back. */
  loginAnsweredAt: number | undefined;
  /** How the scripted server echoes CHATs while it serves. */
  echoes: "at once" | "never" = "at once";
  /** Whether room and direct traffic from another user goes out ahead of every echo. */
  trafficBeforeEchoes = false;
  /** Whether the client is started with the reconnecting command (@reconnect scenarios). */
  reconnecting = false;
  /** The max_page the scripted server advertises in its SESSION_INFO on version 3. */
  maxPage = 100;
  /** The room of the version-3 scenarios, six messages old when the client joins it. */
  readonly room = new ScriptedRoom("lobby", 6);
  /** What the client asked of that room, over all its connections. */
  readonly version3 = newVersion3Requests();
  /** Earlier connections of a scenario that dropped one, oldest first (their transcripts). */
  private readonly earlier: ScriptedSession[] = [];
  private server: ScriptedServer | undefined;
  private process: ClientProcess | undefined;
  private connection: ScriptedSession | undefined;
  private readonly stoppers: (() => void)[] = [];

  constructor(options: IWorldOptions<ClientSuiteParameters>) {
    super(options);
  }

  get user(): string {
    return this.parameters.user ?? CLIENT_ACCOUNT.user;
  }

  get password(): string {
    return this.parameters.password ?? CLIENT_ACCOUNT.password;
  }

  /** The messages among the lines (what the client must send as CHATs), in order. */
  get messages(): string[] {
    return this.lines.filter((line) => !line.startsWith("/"));
  }

  /** Starts the scripted server and the client, and waits for the client's connection. */
  async start(): Promise<ScriptedSession> {
    this.server = await ScriptedServer.listen();
    const command = this.reconnecting ? this.parameters.reconnectCommand : this.parameters.command;
    if (command === null) throw new Error("scenario bug: no reconnecting command declared");
    this.process = new ClientProcess(
      command,
      {
        host: "127.0.0.1",
        port: this.server.port,
        user: this.user,
        password: this.password,
        versions: this.offered.join(","),
      },
      COMMAND_DIR,
    );
    this.process.writeLines(this.lines);
    if (!this.keepInputOpen) this.process.endInput();
    // Starting a process (a runtime, a compiler) may take longer than answering a PDU does.
    const peer = await this.server.connection(this.parameters.replyTimeoutMs * 3);
    if (!peer) {
      throw new ConformanceFailure(`the client did not connect\n\n${this.process.describe()}`);
    }
    this.connection = new ScriptedSession(peer);
    this.connection.dribbleAll = this.dribble;
    return this.connection;
  }

  /** Drops the client's connection (it was reset) and waits for it to connect again. */
  async dropAndAwaitReconnect(): Promise<ScriptedSession> {
    const server = this.server;
    if (!server || !this.connection)
      throw new Error("scenario bug: the client has not been started");
    server.acceptAnother();
    this.connection.cancelPendingReplies();
    this.connection.peer.transcript.note("the scripted server drops the connection");
    this.connection.peer.destroy();
    this.earlier.push(this.connection);
    // The client's back-off (the reference's is up to 1 s at first) comes on top of its start-up.
    const peer = await server.connection(this.parameters.replyTimeoutMs * 3);
    if (!peer) {
      throw new ConformanceFailure(
        `the client did not connect again after its connection dropped\n\n${this.evidence()}`,
      );
    }
    this.connection = new ScriptedSession(peer);
    this.connection.dribbleAll = this.dribble;
    return this.connection;
  }

  get session(): ScriptedSession {
    if (!this.connection) throw new Error("scenario bug: the client has not been started");
    return this.connection;
  }

  get client(): ClientProcess {
    if (!this.process) throw new Error("scenario bug: the client has not been started");
    return this.process;
  }

  /** Registers something running in the background (a timer) to stop when the scenario ends. */
  onCleanup(stop: () => void): void {
    this.stoppers.push(stop);
  }

  /** What a failed scenario's report shows: the connection's transcript and the client's output. */
  evidence(): string {
    return [
      ...this.earlier.map((session) => session.peer.transcript.format()),
      this.connection?.peer.transcript.format(),
      this.process?.describe(),
    ]
      .filter((part) => part !== undefined)
      .join("\n\n");
  }

  async cleanup(): Promise<void> {
    for (const stop of this.stoppers.splice(0)) stop();
    this.connection?.cancelPendingReplies();
    await this.process?.stop();
    await this.server?.close();
  }
}
