/**
 * Login burst: N clients connect at once (a server restart with everyone reconnecting), each negotiating,
 * then keeping itself alive as REQ-7.1 asks (a PING at least every advertised interval from the
 * VERSION_RESPONSE on, also while its login waits in the server's scrypt queue) and logging in. Run at the
 * production scrypt cost and at the bench's cheap one, each against a fresh server with short ping timers
 * (2 s / 3 s), so that a server that lets a queued login's session time out shows it. Reports logins/s, the
 * longest wait from connect to LOGIN_RESPONSE, and every ERROR by code: a client that pings as the spec
 * says must get neither HANDSHAKE_TIMEOUT nor PING_TIMEOUT.
 */
import { decode, encode, SUPPORTED_VERSIONS } from "../generated/index.ts";
import { readCredentials } from "./bench-users.ts";
import { FrameSocket } from "./frame-socket.ts";
import type { Credentials } from "./parrot-login.ts";
import { launchParrotServer } from "./parrot-server-process.ts";

export interface LoginBurst {
  clients: number;
  scryptN: number;
  pingIntervalMs: number;
  pingTimeoutMs: number;
  loggedIn: number;
  /** Logged-in clients / time from the first connect to the last LOGIN_RESPONSE OK. */
  loginsPerSec: number;
  longestWaitMs: number;
  medianWaitMs: number;
  handshakeTimeouts: number;
  pingTimeouts: number;
  /** Refused logins, other ERRORs, connections closed without one. */
  otherFailures: number;
  firstFailure: string | null;
  /** PINGs the clients sent while waiting for their LOGIN_RESPONSE. */
  pingsWhileWaiting: number;
}

export interface LoginBurstResult {
  bursts: LoginBurst[];
}

export interface LoginBurstOptions {
  repoRoot: string;
  clients: number;
  /** One users file per scrypt cost, all holding the same accounts. */
  usersFiles: { scryptN: number; file: string }[];
  credentialsFile: string;
}

const PING_INTERVAL_S = 2;
const PING_TIMEOUT_S = 3;

type Outcome =
  | { ok: true; waitMs: number; at: number; pings: number }
  | { ok: false; why: string; pings: number };

/** One client of the burst: resolves once logged in (then logs out) or refused. */
function burstClient(host: string, port: number, account: Credentials): Promise<Outcome> {
  const started = performance.now();
  return FrameSocket.open({ host, port }).then(
    (socket) =>
      new Promise<Outcome>((resolve) => {
        let version = 0;
        let pings = 0;
        let timer: NodeJS.Timeout | null = null;
        const finish = (outcome: Outcome) => {
          if (timer !== null) clearInterval(timer);
          timer = null;
          resolve(outcome);
        };
        socket.setFrameHandler((frame) => {
          const pdu = decode(frame);
          if (pdu.type === "VERSION_RESPONSE" && pdu.status === "OK") {
            version = pdu.chosenVersion;
            // REQ-7.1: keep-alive from here on, whatever the login is waiting for.
            timer = setInterval(() => {
              pings++;
              socket.write(encode({ type: "PING", version, token: pings }));
            }, pdu.pingIntervalMs * 0.8);
            socket.write(encode({ type: "LOGIN_REQUEST", version, ...account }));
          } else if (pdu.type === "LOGIN_RESPONSE") {
            const at = performance.now();
            if (pdu.status === "OK") {
              finish({ ok: true, waitMs: at - started, at, pings });
              socket.write(encode({ type: "LOGOUT", version }));
            } else finish({ ok: false, why: `LOGIN_RESPONSE ${pdu.status}`, pings });
          } else if (pdu.type === "ERROR") {
            finish({ ok: false, why: pdu.code, pings });
          }
        });
        socket.onClose((error) => finish({ ok: false, why: error.message, pings }));
        socket.write(
          encode({ type: "VERSION_REQUEST", version: 0, versions: [...SUPPORTED_VERSIONS] }),
        );
      }),
    (error: Error) => ({ ok: false, why: `connect: ${error.message}`, pings: 0 }),
  );
}

async function burst(
  options: LoginBurstOptions,
  scryptN: number,
  file: string,
): Promise<LoginBurst> {
  const server = await launchParrotServer({
    repoRoot: options.repoRoot,
    usersFile: file,
    pingIntervalS: PING_INTERVAL_S,
    pingTimeoutS: PING_TIMEOUT_S,
    maxConnections: options.clients + 100,
    openFiles: options.clients + 512,
  });
  try {
    const accounts = readCredentials(options.credentialsFile, options.clients);
    const started = performance.now();
    const outcomes = await Promise.all(
      accounts.map((account) => burstClient(server.host, server.port, account)),
    );
    const ok = outcomes.filter((o): o is Extract<Outcome, { ok: true }> => o.ok);
    const failed = outcomes.filter((o): o is Extract<Outcome, { ok: false }> => !o.ok);
    const waits = ok.map((o) => o.waitMs).sort((a, b) => a - b);
    const last = Math.max(started, ...ok.map((o) => o.at));
    const count = (code: string) => failed.filter((f) => f.why === code).length;
    const handshakeTimeouts = count("HANDSHAKE_TIMEOUT");
    const pingTimeouts = count("PING_TIMEOUT");
    return {
      clients: options.clients,
      scryptN,
      pingIntervalMs: PING_INTERVAL_S * 1000,
      pingTimeoutMs: PING_TIMEOUT_S * 1000,
      loggedIn: ok.length,
      loginsPerSec: ok.length / Math.max(0.001, (last - started) / 1000),
      longestWaitMs: waits.at(-1) ?? 0,
      medianWaitMs: waits[waits.length >> 1] ?? 0,
      handshakeTimeouts,
      pingTimeouts,
      otherFailures: failed.length - handshakeTimeouts - pingTimeouts,
      firstFailure: failed[0]?.why ?? null,
      pingsWhileWaiting: outcomes.reduce((sum, o) => sum + o.pings, 0),
    };
  } finally {
    await server.stop();
  }
}

export async function runLoginBurst(
  options: LoginBurstOptions,
  progress: (line: string) => void,
): Promise<LoginBurstResult> {
  const bursts: LoginBurst[] = [];
  for (const { scryptN, file } of options.usersFiles) {
    progress(`login burst: ${options.clients} clients at once, scrypt N=${scryptN} ...`);
    bursts.push(await burst(options, scryptN, file));
  }
  return { bursts };
}
