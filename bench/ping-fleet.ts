/**
 * A worker process holding a slice of the session-scale bench's idle sessions. One process cannot hold them
 * all: each session is a file descriptor here as well as in the server, and the per-process limit (20 000
 * on the reference machine) caps a single process well below SESSIONS=100000. The coordinator
 * (bench/session-scale.ts) forks as many fleets as needed and drives them over IPC:
 *   open → opened, window-start / window-end → window, silence → reaped, close → closed.
 */
import { readCredentials } from "./bench-users.ts";
import { forEachBounded } from "./bounded-concurrency.ts";
import { isEntryPoint } from "./entry-point.ts";
import { PingSession } from "./ping-session.ts";
import { sourceEndpoint } from "./source-endpoints.ts";

export type FleetCommand =
  | {
      cmd: "open";
      host: string;
      port: number;
      /** Accounts to log in with; absent against the raw echo server. */
      credentialsFile?: string;
      /** Against the raw echo server, which advertises nothing: how often to ping. */
      rawPingIntervalMs?: number;
      /** Global index of this fleet's first session (selects its accounts and the silenced subset). */
      first: number;
      count: number;
      concurrency: number;
    }
  | { cmd: "window-start" }
  | { cmd: "window-end" }
  | { cmd: "silence"; every: number; waitMs: number }
  | { cmd: "close" };

export interface LostSession {
  errorCode: string | null;
  /** From LOGIN_RESPONSE OK to the server's ERROR/close. */
  msAfterLogin: number;
  /** From this client's last PING to the server's ERROR/close. */
  msAfterLastSend: number;
  pingsSent: number;
  /** The gap between its last two sends: if this or msAfterLastSend reaches the timeout, the client was late. */
  lastSendGapMs: number;
}

const LOST_SAMPLES = 10;
/** Timer slack a busy client may take before a send counts as late. */
const LATE_MARGIN_MS = 250;

export type FleetEvent =
  | {
      event: "opened";
      /** Sessions this fleet holds in total so far. */
      count: number;
      /** Sessions of this command that could not connect or log in (they count as not held). */
      failed: number;
      firstError: string | null;
    }
  | { event: "failed"; error: string }
  | { event: "window"; pongs: number; pingsSent: number; endedEarly: number }
  | {
      event: "reaped";
      silenced: number;
      /** Per reaped session: ms after (last send + ping timeout) that the server's ERROR/close arrived. */
      latenessMs: number[];
      notReaped: number;
      /** Sessions that ended without an ERROR PDU, or with a code other than PING_TIMEOUT. */
      wrongEnding: number;
      /** Sessions that kept pinging yet were closed: the server reaping live clients. */
      liveSessionsLost: number;
      /** The first few of those, for diagnosis. */
      lostSamples: LostSession[];
      mismatchedPongs: number;
      /** Sessions that left more than interval + 250 ms between two sends since window-start. */
      lateClients: number;
      maxSendGapMs: number;
    }
  | { event: "closed" };

const sessions: { index: number; session: PingSession }[] = [];
let windowPongs = 0;
let windowPings = 0;

function send(event: FleetEvent, then?: () => void): void {
  process.send?.(event, undefined, undefined, then);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function open(command: Extract<FleetCommand, { cmd: "open" }>): Promise<void> {
  const { credentialsFile, rawPingIntervalMs } = command;
  const accounts = credentialsFile
    ? readCredentials(credentialsFile, command.first + command.count)
    : [];
  let failed = 0;
  let firstError: string | null = null;
  await forEachBounded(command.count, command.concurrency, async (offset) => {
    const index = command.first + offset;
    try {
      const session = await PingSession.open(
        { host: command.host, port: command.port, ...sourceEndpoint(index) },
        accounts[index] ?? { rawPingIntervalMs: rawPingIntervalMs ?? 2000 },
      );
      sessions.push({ index, session });
    } catch (error) {
      // A session the server refused or dropped during login is a finding, not a reason to stop.
      failed++;
      firstError ??= error instanceof Error ? error.message : String(error);
    }
  });
  send({ event: "opened", count: sessions.length, failed, firstError });
}

async function silenceAndWatch(every: number, waitMs: number): Promise<void> {
  const silenced = sessions
    .filter(({ index }) => index % every === 0)
    .map(({ session }) => session);
  for (const session of silenced) session.silence();
  // The coordinator waits out timeout + tolerance + margin; sessions ending sooner end the wait sooner.
  const deadline = performance.now() + waitMs;
  while (performance.now() < deadline && silenced.some((s) => s.end === null)) await sleep(50);

  const latenessMs: number[] = [];
  let notReaped = 0;
  let wrongEnding = 0;
  for (const session of silenced) {
    if (session.end === null) {
      notReaped++;
      continue;
    }
    if (session.end.errorCode !== "PING_TIMEOUT") wrongEnding++;
    latenessMs.push(session.end.at - session.lastSendAt - session.pingTimeoutMs);
  }
  const live = sessions.filter(({ session }) => !session.silenced).map(({ session }) => session);
  const lost = live.filter((s) => s.end !== null);
  send({
    event: "reaped",
    silenced: silenced.length,
    latenessMs,
    notReaped,
    wrongEnding,
    liveSessionsLost: lost.length,
    lostSamples: lost.slice(0, LOST_SAMPLES).map((s) => ({
      errorCode: s.end?.errorCode ?? null,
      msAfterLogin: (s.end?.at ?? 0) - s.loggedInAt,
      msAfterLastSend: (s.end?.at ?? 0) - s.lastSendAt,
      pingsSent: s.pingsSent,
      lastSendGapMs: s.lastSendGapMs,
    })),
    mismatchedPongs: sessions.reduce((sum, { session }) => sum + session.mismatchedPongs, 0),
    lateClients: sessions.filter(
      ({ session }) => session.maxSendGapMs > session.pingIntervalMs + LATE_MARGIN_MS,
    ).length,
    maxSendGapMs: sessions.reduce((max, { session }) => Math.max(max, session.maxSendGapMs), 0),
  });
}

function totals(): { pongs: number; pings: number } {
  let pongs = 0;
  let pings = 0;
  for (const { session } of sessions) {
    pongs += session.pongs;
    pings += session.pingsSent;
  }
  return { pongs, pings };
}

async function handle(command: FleetCommand): Promise<void> {
  switch (command.cmd) {
    case "open":
      return open(command);
    case "window-start": {
      // Lateness is judged in the steady state: while logins saturate the CPU everyone is late.
      for (const { session } of sessions) session.resetSendGap();
      const t = totals();
      windowPongs = t.pongs;
      windowPings = t.pings;
      return;
    }
    case "window-end": {
      const t = totals();
      send({
        event: "window",
        pongs: t.pongs - windowPongs,
        pingsSent: t.pings - windowPings,
        endedEarly: sessions.filter(({ session }) => session.end !== null).length,
      });
      return;
    }
    case "silence":
      return silenceAndWatch(command.every, command.waitMs);
    case "close":
      await forEachBounded(sessions.length, 256, (i) =>
        sessions[i]!.session.close().catch(() => {}),
      );
      // Exit only once the message is out: IPC sends are asynchronous.
      send({ event: "closed" }, () => process.exit(0));
  }
}

if (isEntryPoint(import.meta.url)) {
  process.on("message", (command: FleetCommand) => {
    handle(command).catch((error: unknown) => {
      send({ event: "failed", error: error instanceof Error ? error.message : String(error) });
    });
  });
  // Orphaned by a crashed coordinator: don't linger holding thousands of sockets.
  process.on("disconnect", () => process.exit(1));
}
