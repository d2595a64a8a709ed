/**
 * A small, correct Parrot client written against the generated codec and transport/ only, never the
 * reference client: the second implementation of the client launcher contract (conformance/README.md)
 * and, with `--fault NAME` (planted-faults.ts), a client broken in exactly one way.
 *
 *   node --import tsx test/conformance-client/minimal-client.ts --host H --port P --user U \
 *     --password W --versions 1,2 [--reconnect] [--fault NAME]
 *
 * Contract: each stdin line is a message; each echo's text is printed on stdout; at the end of stdin,
 * once every message is echoed, it logs out, waits for the server's close and exits 0. Exit codes as
 * the contract's table (4 no common version, 5 refused login, 6 already logged in, 7 an ERROR or a
 * broken protocol, 8 a dead server); the reason, with any error code, on stderr. Version 3, with
 * its "/join" and "/history" lines, is minimal-rooms.ts; with --reconnect a dropped connection is
 * dialled again, logged in again and its rooms resumed.
 */
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import {
  classify,
  ERRORS,
  type ErrorCodeName,
  type Pdu,
  type StateName,
  TIMER_DEFAULTS_MS,
} from "../../generated/index.ts";
import { connect } from "../../transport/connect.ts";
import { PduChannel } from "../../transport/pdu-channel.ts";
import { MinimalRooms } from "./minimal-rooms.ts";
import { isPlantedFault, type PlantedFault } from "./planted-faults.ts";

/** PINGs go out at half the advertised interval: REQ-7.12 asks for at most 0.8 of it. */
const PING_SHARE = 0.5;
const LIVENESS_CHECK_MS = 50;
/** How long after a drop the client dials again (--reconnect). */
const RECONNECT_DELAY_MS = 200;

const { values } = parseArgs({
  options: {
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string" },
    user: { type: "string", default: "" },
    password: { type: "string", default: "" },
    versions: { type: "string", default: "1,2" },
    fault: { type: "string" },
    reconnect: { type: "boolean", default: false },
  },
});
const fault = values.fault;
if (fault !== undefined && !isPlantedFault(fault)) {
  process.stderr.write(`minimal client: no planted fault named ${fault}\n`);
  process.exit(2);
}
const has = (name: PlantedFault) => fault === name;
const offered = values.versions.split(",").map(Number);

let channel: PduChannel;
let state: StateName = "CONNECTED";
let version: number | null = null;
let pingTimeoutMs: number = TIMER_DEFAULTS_MS.pingTimeout;
let nextMessageId = 1;
let nextToken = 1;
const pingTokens = new Set<number>();
/** Messages sent and not yet echoed, in order. */
const outstanding: { id: number; text: string }[] = [];
const queuedLines: string[] = [];
let inputEnded = false;
let loggedOut = false;
let awaitingSessionInfo = false;
let finished = false;
let lastLifeAt = performance.now();
let lastProgressAt = performance.now();
let pinger: NodeJS.Timeout | undefined;

/** The header version of what this client sends: 0 until negotiated. */
const headerVersion = () => (has("header-version-zero") ? 0 : (version ?? 0));

function send(pdu: Pdu): void {
  if (!finished) channel.send(pdu);
}

const rooms = new MinimalRooms(
  (pdu) => send(pdu),
  (line) => process.stdout.write(`${line}\n`),
  has,
);

function finish(code: number, why?: string): void {
  if (finished) return;
  finished = true;
  if (why) process.stderr.write(`minimal client: ${why}\n`);
  clearInterval(pinger);
  clearInterval(liveness);
  void channel.close().then(() => process.exit(code));
}

function sendError(code: ErrorCodeName, why: string): void {
  if (!has("no-error-on-bad-frame")) {
    send({ type: "ERROR", version: version ?? 0, code, text: why });
  }
  if (ERRORS[code].closes) finish(7, `refused the server's PDU: ${code} (${ERRORS[code].code})`);
}

function sendChat(text: string): void {
  if (outstanding.length === 0) lastProgressAt = performance.now();
  const id = has("reuses-message-ids") ? 1 : nextMessageId++;
  outstanding.push({ id, text });
  send({ type: "CHAT", version: headerVersion(), messageId: id, text });
}

function sendLine(line: string): void {
  if (!rooms.onLine(line, headerVersion())) sendChat(line);
}

function logOutWhenDone(): void {
  if (
    state !== "AUTHENTICATED" ||
    awaitingSessionInfo ||
    !inputEnded ||
    outstanding.length > 0 ||
    loggedOut
  )
    return;
  loggedOut = true;
  send({ type: "LOGOUT", version: headerVersion() });
}

function startPinging(intervalMs: number): void {
  if (has("never-pings")) return;
  pinger = setInterval(() => {
    const token = nextToken++;
    pingTokens.add(token);
    send({ type: "PING", version: headerVersion(), token });
  }, intervalMs * PING_SHARE);
}

function onVersionResponse(pdu: Extract<Pdu, { type: "VERSION_RESPONSE" }>): void {
  if (pdu.status === "NO_COMMON_VERSION") {
    finish(4, `no common version; the server speaks versions ${pdu.supportedVersions.join(", ")}`);
    return;
  }
  if (!offered.includes(pdu.chosenVersion)) {
    send({ type: "ERROR", version: 0, code: "WRONG_VERSION", text: "a version I did not offer" });
    finish(7, `the server chose version ${pdu.chosenVersion}, which was not offered`);
    return;
  }
  version = pdu.chosenVersion;
  pingTimeoutMs = pdu.pingTimeoutMs;
  state = "NEGOTIATED";
  startPinging(pdu.pingIntervalMs);
  if (!has("login-before-response")) sendLogin();
}

function sendLogin(): void {
  const v = has("login-before-response") ? Math.max(...offered) : headerVersion();
  send({ type: "LOGIN_REQUEST", version: v, username: values.user, password: values.password });
}

function onLoginResponse(pdu: Extract<Pdu, { type: "LOGIN_RESPONSE" }>): void {
  const accepted = has("trusts-login-text") ? /OK|welcome/.test(pdu.text) : pdu.status === "OK";
  if (!accepted) {
    // Frames already received (an ERROR right behind the refusal) are read before the close.
    const code = pdu.status === "ALREADY_LOGGED_IN" ? 6 : 5;
    setImmediate(() => finish(code, `login refused: ${pdu.status}`));
    return;
  }
  state = "AUTHENTICATED";
  // Version 3: SESSION_INFO comes right behind (REQ-15.14) and says how long a page may be.
  if (version === 3) awaitingSessionInfo = true;
  else loggedIn();
}

function loggedIn(): void {
  awaitingSessionInfo = false;
  rooms.rejoin(headerVersion());
  for (const line of queuedLines.splice(0)) sendLine(line);
  logOutWhenDone();
}

function onServerError(pdu: Extract<Pdu, { type: "ERROR" }>): void {
  const rule = ERRORS[pdu.code];
  const named = `${pdu.code} (${rule.code})`;
  if (!rule.closes || has("ignores-closing-error")) {
    process.stderr.write(`minimal client: the server refused something: ${named}\n`);
    return;
  }
  finish(pdu.code === "TOO_MANY_LOGIN_ATTEMPTS" ? 5 : 7, `server error ${named}`);
}

/** Connects (again), negotiates and logs in; what the last connection had outstanding is gone. */
async function dial(): Promise<void> {
  clearInterval(pinger);
  state = "CONNECTED";
  version = null;
  pingTokens.clear();
  outstanding.splice(0);
  lastLifeAt = performance.now();
  channel = new PduChannel(await connect(values.host, Number(values.port)));
  channel.onPdu((pdu) => {
    const knownPong = pdu.type === "PONG" && pingTokens.delete(pdu.token);
    if (pdu.type !== "PONG" || knownPong) lastLifeAt = performance.now();
    const verdict = classify("client", state, version, pdu);
    if (verdict.kind === "peer-error" && pdu.type === "ERROR") return onServerError(pdu);
    if (verdict.kind === "reject") return sendError(verdict.error, `refused ${pdu.type}`);
    switch (pdu.type) {
      case "VERSION_RESPONSE":
        return onVersionResponse(pdu);
      case "LOGIN_RESPONSE":
        return onLoginResponse(pdu);
      case "CHAT_ECHO": {
        const index = outstanding.findIndex((message) => message.id === pdu.messageId);
        if (index >= 0) outstanding.splice(index, 1);
        lastProgressAt = performance.now();
        process.stdout.write(`${pdu.text}\n`);
        return logOutWhenDone();
      }
      default:
        rooms.onPdu(pdu, headerVersion());
        if (pdu.type === "SESSION_INFO" && awaitingSessionInfo) loggedIn();
        return;
    }
  });

  channel.onDecodeError((error, fatal) => {
    sendError(error.code, error.reason);
    if (fatal) finish(7, `the server's stream cannot be framed: ${error.code}`);
  });

  channel.onEnd(() => {
    if (loggedOut) finish(0);
    else if (!values.reconnect) finish(7, "the server closed the connection");
  });

  // A drop, whether FIN or reset: with --reconnect, dial again (once per connection).
  const dropped = channel;
  dropped.onClose(() => {
    if (finished || loggedOut || !values.reconnect || dropped !== channel) return;
    setTimeout(() => {
      dial().catch((error: Error) => finish(7, `cannot connect again: ${error.message}`));
    }, RECONNECT_DELAY_MS);
  });
  send({ type: "VERSION_REQUEST", version: 0, versions: offered });
  if (has("login-before-response")) sendLogin();
}

// REQ-7.8: nothing that counts as life for the ping timeout, or no echo for that long while one is due.
const liveness = setInterval(() => {
  if (has("ignores-silence")) return;
  const now = performance.now();
  if (now - lastLifeAt > pingTimeoutMs) finish(8, "the server stopped answering");
  else if (outstanding.length > 0 && now - lastProgressAt > pingTimeoutMs) {
    finish(8, `no echo for ${pingTimeoutMs} ms`);
  }
}, LIVENESS_CHECK_MS);

await dial();

const input = createInterface({ input: process.stdin });
input.on("line", (line) => {
  if (state === "AUTHENTICATED" && !awaitingSessionInfo) sendLine(line);
  else queuedLines.push(line);
});
input.on("close", () => {
  inputEnded = true;
  logOutWhenDone();
});
