/**
 * The state of one scenario: its named connections ("A", "B", ...), the protocol version it runs in, and
 * the run's parameters. Cucumber makes a fresh world per scenario; `cleanup()` (from the After hook) logs
 * every connection out so the next scenario finds its accounts free.
 */
import { performance } from "node:perf_hooks";
import { type IWorldOptions, World } from "@cucumber/cucumber";
import { SUPPORTED_VERSIONS } from "../../generated/index.ts";
import { type Account, loadAccounts } from "./accounts.ts";
import { ClientSession } from "./client-session.ts";
import { describePdu, RawPeer } from "./raw-peer.ts";
import type { ValidVector } from "./spec-vectors.ts";
import type { SuiteParameters } from "./suite-parameters.ts";
import { Unsupported } from "./unsupported.ts";

/** The server's version list, learnt once per run (it does not change while the server runs). */
let serverVersions: Promise<readonly number[]> | undefined;

export class ParrotWorld extends World<SuiteParameters> {
  readonly sessions = new Map<string, ClientSession>();
  /** The version this scenario negotiates; set by "Given the server speaks protocol version N". */
  protocolVersion: number = SUPPORTED_VERSIONS[0] ?? 1;
  /** Every session of the concurrency scenario, in load-account order. */
  crowd: ClientSession[] = [];
  /** A well-formed PDU of a type from a later version than the scenario's, when the spec has one. */
  newerPdu: ValidVector | undefined;
  private readonly stoppers: (() => void)[] = [];

  constructor(options: IWorldOptions<SuiteParameters>) {
    super(options);
  }

  /** Opens a new connection under `name`, replacing (and closing) any earlier one of that name. */
  async open(name: string): Promise<ClientSession> {
    this.sessions.get(name)?.peer.destroy();
    const session = await this.connect(name);
    this.sessions.set(name, session);
    return session;
  }

  /** Opens a connection the caller keeps track of itself (the concurrency scenario's crowd). */
  async connect(name: string): Promise<ClientSession> {
    const peer = await RawPeer.connect(
      this.parameters.target,
      name,
      this.parameters.replyTimeoutMs,
    );
    return new ClientSession(name, peer, this.parameters);
  }

  session(name: string): ClientSession {
    const session = this.sessions.get(name);
    if (!session) throw new Error(`scenario bug: no connection named "${name}" was opened`);
    return session;
  }

  /** A connection that has negotiated this scenario's version and keeps itself alive. */
  async negotiated(name: string): Promise<ClientSession> {
    const session = await this.open(name);
    const response = await session.negotiate([this.protocolVersion]);
    if (response.status !== "OK") {
      session.fail(`negotiating version ${this.protocolVersion} failed: ${describePdu(response)}`);
    }
    session.keepAlive();
    return session;
  }

  /** A connection logged in as `user`, kept alive at the advertised interval. */
  async loggedIn(name: string, user: string): Promise<ClientSession> {
    const session = await this.negotiated(name);
    const response = await session.login(user, this.account(user).password);
    if (response.status !== "OK") {
      session.fail(`logging in as ${user} failed: ${describePdu(response)}`);
    }
    return session;
  }

  account(name: string): Account {
    const accounts = loadAccounts(this.parameters.accountsFile);
    const account = [...accounts.accounts, ...accounts.load].find((a) => a.name === name);
    if (!account)
      throw new Error(`scenario bug: ${name} is not in ${this.parameters.accountsFile}`);
    return account;
  }

  get unknownUser(): string {
    return loadAccounts(this.parameters.accountsFile).unknownUser;
  }

  get loadAccounts(): Account[] {
    return loadAccounts(this.parameters.accountsFile).load;
  }

  /** The timers the server advertised to a session of this scenario. */
  advertisedTimers(name: string): { pingIntervalMs: number; pingTimeoutMs: number } {
    const advertised = this.session(name).advertised;
    if (!advertised) throw new Error(`scenario bug: "${name}" has not negotiated`);
    return advertised;
  }

  /** A scenario that must wait longer than --max-timer is unsupported in this run, not failed. */
  requireWait(ms: number, what: string): void {
    if (ms > this.parameters.maxTimerMs) {
      throw new Unsupported(
        `${what} needs a wait of ${(ms / 1000).toFixed(1)} s, over the --max-timer cap of ` +
          `${(this.parameters.maxTimerMs / 1000).toFixed(1)} s`,
      );
    }
  }

  /** The versions the server lists in VERSION_RESPONSE, asked once per run on a connection of its own. */
  async serverVersions(): Promise<readonly number[]> {
    serverVersions ??= (async () => {
      const probe = await this.connect("version probe");
      try {
        const response = await probe.negotiate(SUPPORTED_VERSIONS);
        if (response.supportedVersions.length === 0) {
          probe.fail("VERSION_RESPONSE lists no supported versions");
        }
        return response.supportedVersions;
      } finally {
        probe.peer.destroy();
      }
    })();
    serverVersions.catch(() => {
      serverVersions = undefined;
    });
    return serverVersions;
  }

  /** Milliseconds on the clock transcripts and deadlines use. */
  now(): number {
    return performance.now();
  }

  /** Logs every live session out (so its account is free for the next scenario), then drops them all. */
  async cleanup(): Promise<void> {
    for (const stop of this.stoppers.splice(0)) stop();
    const sessions = [...this.sessions.values(), ...this.crowd];
    await Promise.all(
      sessions.map((session) => session.closeQuietly(this.parameters.replyTimeoutMs)),
    );
  }

  /** Registers something running in the background (a timer) to stop when the scenario ends. */
  onCleanup(stop: () => void): void {
    this.stoppers.push(stop);
  }

  /** Every transcript of the scenario, for the report of a failed one. */
  transcripts(): string {
    return [...this.sessions.values()]
      .map((session) => session.peer.transcript.format())
      .join("\n\n");
  }
}
