/**
 * The state of one scenario: its named connections ("A", "B", ...), the protocol version it runs in, and
 * the run's parameters. Cucumber makes a fresh world per scenario; `cleanup()` (from the After hook) logs
 * every connection out so the next scenario finds its accounts free.
 */
import { performance } from "node:perf_hooks";
import { type IWorldOptions, World } from "@cucumber/cucumber";
import { SUPPORTED_VERSIONS, TIMER_DEFAULTS_MS } from "../../generated/index.ts";
import { type Account, loadAccounts } from "./accounts.ts";
import { ClientSession } from "./client-session.ts";
import { leftoverPace, leftoverUntil, noteReleased } from "./leftover-logins.ts";
import { logInCrowd } from "./login-crowd.ts";
import type { PagedList } from "./paged-list.ts";
import { describePdu, RawPeer } from "./raw-peer.ts";
import type { RoomTraffic } from "./room-history.ts";
import { RoomMembership } from "./room-membership.ts";
import type { ValidVector } from "./spec-vectors.ts";
import type { SuiteParameters, TargetAddress } from "./suite-parameters.ts";
import { describePlacement, type Placement, TargetPlacement } from "./target-placement.ts";
import { TypingIndicators } from "./typing-indicators.ts";
import { Unsupported } from "./unsupported.ts";

export interface ServerNegotiation {
  offered: number[];
  supportedVersions: readonly number[];
  chosenVersion: number;
}

/** Logins in flight at once while load sessions gather (fewer if the server cannot keep up). */
const LOGIN_CONCURRENCY = 10;

/**
 * Over several targets, a set-up login is known to every node once the session's next PDU is
 * answered (spec §13.6, REQ-13.21): a PING round trip after the OK, before the scenario goes on.
 */
const KNOWN_TO_EVERY_NODE = "the login known to every node (REQ-13.21)";

/** The pause between tries of a crowd member's leftover login (leftover-logins.ts). */
const CROWD_LEFTOVER_PAUSE_MS = 50;

/** The server's answer to the suite's own offer, learnt once per run (it does not change while it runs). */
let serverNegotiation: Promise<ServerNegotiation> | undefined;

export class ParrotWorld extends World<SuiteParameters> {
  readonly sessions = new Map<string, ClientSession>();
  /** The version this scenario negotiates; set by "Given the server speaks protocol version N". */
  protocolVersion: number = SUPPORTED_VERSIONS[0] ?? 1;
  /** The load sessions of the scenario (logInLoadSessions), in load-account order. */
  crowd: ClientSession[] = [];
  /** The rooms the scenario has put its sessions in. */
  readonly rooms = new RoomMembership();
  /** The whole lists (ROOM_LIST, WHO_LIST) each connection read, by connection name. */
  readonly lists = new Map<string, PagedList>();
  /** How many TYPINGs of the rate-limit scenario the server accepted. */
  acceptedTypings = 0;
  /** The typing indicators the scenario started, to judge their expiry. */
  readonly typing = new TypingIndicators();
  /** The room messages a scenario sent at once, for the steps that judge who received them. */
  roomTraffic: RoomTraffic | undefined;
  /** The recipient of each DIRECT_SEND the scenario sent, by message id. */
  readonly directRecipients = new Map<number, string>();
  /** A well-formed PDU of a type from a later version than the scenario's, when the spec has one. */
  newerPdu: ValidVector | undefined;
  /** Which of the run's targets each connection of the scenario goes to (target-placement.ts). */
  readonly placement: TargetPlacement;
  private readonly crowdNames = new Set<string>();
  /** Every connection the scenario opened, replaced ones included: whose logins it held. */
  private readonly everyConnection: ClientSession[] = [];
  private readonly stoppers: (() => void)[] = [];

  constructor(options: IWorldOptions<SuiteParameters>) {
    super(options);
    this.placement = new TargetPlacement(this.parameters.targets ?? [this.parameters.target]);
  }

  /**
   * Opens a new connection under `name`, replacing (and closing) any earlier one of that name; to
   * `target`, a server instance the scenario started itself, if given, else to the target the
   * placement gives the name.
   */
  async open(name: string, target?: TargetAddress): Promise<ClientSession> {
    this.sessions.get(name)?.peer.destroy();
    const session = await this.connect(
      name,
      target === undefined ? this.placement.of(name) : { target, node: 0 },
    );
    this.sessions.set(name, session);
    return session;
  }

  /**
   * Opens a connection the caller keeps track of itself (a load crowd's member, a probe), giving
   * up after `connectTimeoutMs` (default the reply timeout). `node` 0: not one of the run's targets
   * (a scenario's own instance), so not named in the transcript.
   */
  async connect(
    name: string,
    placement: Placement = { target: this.parameters.target, node: 1 },
    connectTimeoutMs = this.parameters.replyTimeoutMs,
  ): Promise<ClientSession> {
    const peer = await RawPeer.connect(placement.target, name, connectTimeoutMs);
    if (this.placement.several && placement.node > 0) {
      peer.transcript.on = describePlacement(placement);
    }
    const session = new ClientSession(name, peer, this.parameters);
    this.everyConnection.push(session);
    return session;
  }

  /**
   * Whether `user` is logged in on a connection of this scenario placed on another of the run's
   * targets than connection `name`: what makes a failure about them a cluster's (spec §13).
   */
  onAnotherNode(name: string, user: string): boolean {
    if (!this.placement.several) return false;
    const node = this.placement.of(name).node;
    return [...this.sessions].some(
      ([other, session]) => session.user === user && this.placement.of(other).node !== node,
    );
  }

  session(name: string): ClientSession {
    const session = this.sessions.get(name);
    if (!session) throw new Error(`scenario bug: no connection named "${name}" was opened`);
    return session;
  }

  /**
   * A connection that has negotiated this scenario's version (or `version`, for a version 1 client in a
   * version 2 scenario) and keeps itself alive.
   */
  async negotiated(name: string, version = this.protocolVersion): Promise<ClientSession> {
    const session = await this.open(name);
    const response = await session.negotiate([version]);
    if (response.status !== "OK" || response.chosenVersion !== version) {
      session.fail(`negotiating version ${version} failed: ${describePdu(response)}`);
    }
    session.keepAlive();
    return session;
  }

  /** A connection logged in as `user`, kept alive at the advertised interval. */
  async loggedIn(
    name: string,
    user: string,
    version = this.protocolVersion,
  ): Promise<ClientSession> {
    let session = await this.negotiated(name, version);
    let response = await session.login(user, this.account(user).password);
    // Over several targets, an earlier scenario's login of this account may still be on its way out
    // of the shared store (leftover-logins.ts): tried again within the half-open window only.
    const until = this.leftoverUntil(user, session);
    while (response.status === "ALREADY_LOGGED_IN" && until !== undefined && this.now() < until) {
      await new Promise((resolve) =>
        setTimeout(resolve, leftoverPace(this.advertisedTimers(name).pingIntervalMs)),
      );
      if (session.peer.closed) session = await this.negotiated(name, version);
      response = await session.login(user, this.account(user).password);
    }
    if (response.status !== "OK") {
      session.fail(`logging in as ${user} failed: ${describePdu(response)}`);
    }
    if (this.placement.several) await session.expectServed(KNOWN_TO_EVERY_NODE);
    return session;
  }

  /**
   * Logs in the first `count` load accounts at once (into `crowd`, in account order), each kept alive,
   * within the run's set-up allowance (login-crowd.ts). Set-up is not what the scenario judges: a crowd
   * that could not all log in in time makes the scenario unsupported, not failed; a wrong answer on the
   * way is a failure of the login rules (REQ-5.1), not of the scenario's own requirements.
   */
  async logInLoadSessions(count: number, version = this.protocolVersion): Promise<ClientSession[]> {
    const opened: ClientSession[] = [];
    this.crowd = opened;
    const deadline = this.now() + this.parameters.setupTimeoutMs;
    const accounts = this.loadAccounts.slice(0, count);
    for (const account of accounts) this.crowdNames.add(account.name);
    const outcomes = await logInCrowd(accounts, {
      // Connecting is set-up too: a QUIC or TLS handshake per session costs the server (and the
      // suite) public-key work that, 200 at once on a loaded machine, outlasts the reply timeout.
      open: (name) =>
        this.connect(
          name,
          this.placement.ofCrowdMember(
            name,
            accounts.findIndex((account) => account.name === name),
          ),
          Math.max(this.parameters.replyTimeoutMs, deadline - this.now()),
        ),
      version,
      deadline,
      concurrency: LOGIN_CONCURRENCY,
      ...(this.placement.several ? { leftover: this.crowdLeftovers() } : {}),
      opened: (session) => opened.push(session),
    });
    const broken = outcomes.find((outcome) => outcome.kind === "broken");
    if (broken) throw broken.failure.blaming("REQ-5.1");
    const missed = outcomes.filter((outcome) => outcome.kind !== "ok");
    if (missed.length > 0) {
      const first = missed[0]!;
      const why =
        first.kind === "refused"
          ? `LOGIN_RESPONSE ${first.status}`
          : (first as { why: string }).why;
      throw new Unsupported(
        `could not provision ${count} sessions in time: ${count - missed.length} logged in within ` +
          `the set-up allowance of ${this.parameters.setupTimeoutMs / 1000} s (--setup-timeout); ` +
          `${first.account.name}: ${why}`,
      );
    }
    this.crowd = outcomes.map((outcome) => (outcome as { session: ClientSession }).session);
    if (this.placement.several) {
      await Promise.all(this.crowd.map((session) => session.expectServed(KNOWN_TO_EVERY_NODE)));
    }
    return this.crowd;
  }

  /**
   * Until when a refusal of `user` may be an earlier scenario's login not yet freed on every node:
   * only over several targets, and only if no session of this scenario has held it.
   */
  private leftoverUntil(user: string, session: ClientSession): number | undefined {
    if (!this.placement.several) return undefined;
    const ours = this.everyConnection.some((each) => each.heldLogins.has(user));
    if (ours || !session.advertised) return undefined;
    const { pingTimeoutMs } = session.advertised;
    return leftoverUntil(
      user,
      pingTimeoutMs + this.parameters.timeoutToleranceMs + this.parameters.slackMs,
    );
  }

  /**
   * leftoverUntil for a load crowd, whose sessions have no advertised timers before they log in: the
   * spec's default ping timeout bounds the window (a server's own is rarely longer).
   */
  private crowdLeftovers(): { until(account: Account): number | undefined; pauseMs: number } {
    const window = TIMER_DEFAULTS_MS.pingTimeout + this.parameters.timeoutToleranceMs;
    return {
      until: (account) =>
        this.everyConnection.some((each) => each.heldLogins.has(account.name))
          ? undefined
          : leftoverUntil(account.name, window + this.parameters.slackMs),
      pauseMs: CROWD_LEFTOVER_PAUSE_MS,
    };
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
    return (await this.serverNegotiation()).supportedVersions;
  }

  /**
   * What the server answers a client offering every version the suite knows: the versions it lists and
   * the one it chooses. Asked once per run, on a connection of its own.
   */
  serverNegotiation(): Promise<ServerNegotiation> {
    serverNegotiation ??= (async () => {
      const probe = await this.connect("version probe");
      try {
        const response = await probe.negotiate(SUPPORTED_VERSIONS);
        if (response.supportedVersions.length === 0) {
          probe.fail("VERSION_RESPONSE lists no supported versions");
        }
        return {
          offered: [...SUPPORTED_VERSIONS],
          supportedVersions: response.supportedVersions,
          chosenVersion: response.chosenVersion,
        };
      } finally {
        probe.peer.destroy();
      }
    })();
    serverNegotiation.catch(() => {
      serverNegotiation = undefined;
    });
    return serverNegotiation;
  }

  /** Milliseconds on the clock transcripts and deadlines use. */
  now(): number {
    return performance.now();
  }

  /**
   * Ends the scenario's typing indicators, logs every live session out (so its account is free for the
   * next scenario), then drops them all.
   */
  async cleanup(): Promise<void> {
    for (const stop of this.stoppers.splice(0)) stop();
    await this.typing.settle(this.parameters);
    const sessions = [...this.sessions.values(), ...this.crowd];
    await Promise.all(
      sessions.map((session) => session.closeQuietly(this.parameters.replyTimeoutMs)),
    );
    noteReleased(this.everyConnection.flatMap((session) => [...session.heldLogins]));
  }

  /** Registers something running in the background (a timer) to stop when the scenario ends. */
  onCleanup(stop: () => void): void {
    this.stoppers.push(stop);
  }

  /**
   * Which target each connection of the scenario used, one a line; undefined when the run judges one
   * target (nothing to say).
   */
  placements(): string | undefined {
    return this.placement.several ? this.placement.describe(this.crowdNames) : undefined;
  }

  /** Every transcript of the scenario, for the report of a failed one. */
  transcripts(): string {
    return [...this.sessions.values()]
      .map((session) => session.peer.transcript.format())
      .join("\n\n");
  }
}
