/**
 * The scripted server's side of the one connection of a client scenario: what it has told the client
 * (the VERSION_RESPONSE, the timers), what the client sent (every PDU, every PING with its arrival
 * time), and the checks that run on every PDU the client sends whatever the scenario is about:
 *
 * - a frame the generated codec rejects (REQ-3.1);
 * - anything but one VERSION_REQUEST before the VERSION_RESPONSE was sent (REQ-4.1);
 * - the header version: 0 on VERSION_REQUEST and before negotiation (REQ-4.9), the chosen version
 *   after (REQ-4.5), never a version the client did not offer (REQ-4.11);
 * - a version 2 type or a version-2 error code on a version 1 connection (REQ-11.1);
 * - anything after a closing ERROR, the client's (REQ-8.3) or the server's (REQ-9.6).
 *
 * Such a failure is pinned on its requirement (conformance-failure.ts). PINGs never reach the steps:
 * they are recorded and answered (or held, or ignored) as the scenario says.
 */
import { performance } from "node:perf_hooks";
import {
  ERRORS,
  encode,
  MESSAGE_RULES,
  type Pdu,
  type VersionRequestPdu,
} from "../../../generated/index.ts";
import { ConformanceFailure } from "../../support/conformance-failure.ts";
import {
  describePdu,
  isTerminalEvent,
  type PeerEvent,
  type RawPeer,
  type TimeoutEvent,
} from "../../support/raw-peer.ts";
import { errorCodeSince } from "../../support/version-scope.ts";

export type PduEvent = Extract<PeerEvent, { kind: "pdu" }>;

/** What the scripted server does with the client's PINGs. */
export type PongMode = "answer" | "hold" | "ignore";

export interface AdvertisedTimers {
  pingIntervalMs: number;
  pingTimeoutMs: number;
}

export class ScriptedSession {
  /** The version the server chose from the client's offer; null until then. */
  negotiated: number | null = null;
  /** A version the server chose that the client did not offer (REQ-4.11 scenarios). */
  unofferedVersion: number | null = null;
  versionRequest: VersionRequestPdu | undefined;
  versionResponseSentAt: number | undefined;
  timers: AdvertisedTimers | undefined;
  /** Every PING the client sent, with its arrival time. */
  readonly pings: { token: number; at: number }[] = [];
  pongMode: PongMode = "answer";
  /** Every PDU the scripted server sent (not crafted frames), in order. */
  readonly sent: Pdu[] = [];
  /** Every PDU the client sent, PINGs included, in arrival order. */
  readonly received: PduEvent[] = [];
  /** When the scripted server last sent a PDU that is a sign of life (a PONG of an unused token is not). */
  lastLifeSentAt = performance.now();
  /**
   * Replies (PONGs, echoes, ordinary replies, the close after LOGOUT) go out this long after the PDU
   * they answer, in order, as from a slow server: a server answers a connection's PDUs in order
   * (REQ-2.9), so a PONG never overtakes an echo that is due before it.
   */
  replyDelayMs = 0;
  /** Every PDU goes out one byte per write (the dribbling scenario); writes are chained to keep order. */
  dribbleAll = false;
  private writes: Promise<void> = Promise.resolve();
  private readonly heldPongs: number[] = [];
  private readonly pending: NodeJS.Timeout[] = [];
  private closingError: { by: "client" | "server"; code: string } | undefined;

  constructor(readonly peer: RawPeer) {}

  /** Sends a PDU, recording when; `lifeSign` false for what a client must not count as life. */
  send(pdu: Pdu, lifeSign = true): void {
    if (pdu.type === "VERSION_RESPONSE") this.versionResponseSentAt = performance.now();
    if (pdu.type === "ERROR" && ERRORS[pdu.code].closes) {
      this.closingError = { by: "server", code: pdu.code };
    }
    this.sent.push(pdu);
    if (this.dribbleAll) {
      this.writes = this.writes.then(async () => {
        await this.peer.dribble(encode(pdu), describePdu(pdu));
        if (lifeSign) this.lastLifeSentAt = performance.now();
      });
      return;
    }
    this.peer.send(pdu);
    if (lifeSign) this.lastLifeSentAt = performance.now();
  }

  /** Sends PDUs in one write, so the client reads them together. */
  sendInOneWrite(pdus: readonly Pdu[]): void {
    for (const pdu of pdus) {
      if (pdu.type === "ERROR" && ERRORS[pdu.code].closes) {
        this.closingError = { by: "server", code: pdu.code };
      }
    }
    this.sendRaw(Buffer.concat(pdus.map((pdu) => encode(pdu))), pdus.map(describePdu).join(" + "));
  }

  /** Sends bytes as they are, one write; a crafted frame or several frames at once. */
  sendRaw(bytes: Uint8Array, what: string): void {
    this.peer.sendRaw(bytes, what);
    this.lastLifeSentAt = performance.now();
  }

  /** Sends a reply to what the client just sent, after `replyDelayMs` (in order) if there is one. */
  reply(pdu: Pdu): void {
    if (this.replyDelayMs === 0) this.send(pdu);
    else this.later(() => this.send(pdu));
  }

  /** Closes the server's side (FIN) as a server does after LOGOUT, behind the replies still due. */
  endAfterReplies(): void {
    if (this.replyDelayMs === 0) this.peer.endOutput();
    else this.later(() => this.peer.endOutput());
  }

  private later(action: () => void): void {
    // Timers of one delay fire in the order they were set: replies keep the order of their PDUs.
    const timer = setTimeout(action, this.replyDelayMs);
    this.pending.push(timer);
  }

  /** Cancels replies still due (the scenario is over). */
  cancelPendingReplies(): void {
    for (const timer of this.pending.splice(0)) clearTimeout(timer);
  }

  /** The header version the server uses now: the chosen version once negotiated, else 0. */
  get version(): number {
    return this.negotiated ?? 0;
  }

  /** Sends the PONGs held while the scenario held the client's frames unread (a password check). */
  releaseHeldPongs(): void {
    for (const token of this.heldPongs.splice(0)) {
      this.send({ type: "PONG", version: this.version, token });
    }
  }

  /**
   * The next thing the client did that is not a PING: a PDU, a bad frame, the end of the connection, or
   * a timeout event after `timeoutMs`. Every PDU passes the checks above first.
   */
  async next(timeoutMs: number): Promise<PeerEvent | TimeoutEvent> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const event = await this.peer.next(Math.max(0, deadline - performance.now()));
      if (event.kind === "timeout" || isTerminalEvent(event)) {
        if (event.kind === "unframeable") {
          this.fail(
            `the client sent bytes that cannot be framed: ${event.error.message}`,
            "REQ-3.1",
          );
        }
        return event;
      }
      if (event.kind === "undecodable") {
        this.fail(`the client sent a frame the codec rejects: ${event.error.message}`, "REQ-3.1");
      }
      if (event.kind !== "pdu") return event;
      this.check(event);
      this.received.push(event);
      if (event.pdu.type !== "PING") return event;
      this.pings.push({ token: event.pdu.token, at: event.at });
      if (this.pongMode === "answer") {
        this.reply({ type: "PONG", version: this.version, token: event.pdu.token });
      } else if (this.pongMode === "hold") {
        this.heldPongs.push(event.pdu.token);
      }
    }
  }

  /** The next PDU, which must be of `type`; anything else fails the scenario. */
  async expect<T extends Pdu["type"]>(
    type: T,
    timeoutMs: number,
    why = "",
  ): Promise<Extract<Pdu, { type: T }>> {
    const event = await this.next(timeoutMs);
    if (event.kind === "pdu" && event.pdu.type === type) {
      return event.pdu as Extract<Pdu, { type: T }>;
    }
    this.fail(
      `expected ${type} from the client${why ? ` ${why}` : ""}, got ${describeEvent(event)}`,
    );
  }

  /** Fails the scenario with the connection's transcript attached. */
  fail(message: string, requirement?: string): never {
    throw new ConformanceFailure(message, [this.peer.transcript], requirement);
  }

  private check(event: PduEvent): void {
    const { pdu } = event;
    if (this.closingError) {
      const { by, code } = this.closingError;
      this.fail(
        `the client sent ${pdu.type} after the closing ERROR ${code} ${by === "client" ? "it sent" : "the server sent"}`,
        by === "client" ? "REQ-8.3" : "REQ-9.6",
      );
    }
    if (pdu.type !== "ERROR") {
      if (this.versionRequest === undefined) {
        if (pdu.type !== "VERSION_REQUEST") {
          this.fail(`the client's first PDU is ${pdu.type}, not VERSION_REQUEST`, "REQ-4.1");
        }
        this.versionRequest = pdu;
      } else if (
        this.versionResponseSentAt === undefined ||
        event.at < this.versionResponseSentAt
      ) {
        this.fail(`the client sent ${pdu.type} before it had the VERSION_RESPONSE`, "REQ-4.1");
      }
    }
    if (this.unofferedVersion !== null && pdu.version === this.unofferedVersion) {
      this.fail(
        `the client sent ${pdu.type} with header version ${pdu.version}, a version it did not offer`,
        "REQ-4.11",
      );
    }
    const rule = MESSAGE_RULES[pdu.type];
    const expected = rule.headerVersion === "zero" ? 0 : this.version;
    if (
      pdu.version !== expected &&
      (this.negotiated !== null || rule.headerVersion !== "negotiated")
    ) {
      this.fail(
        `the client sent ${pdu.type} with header version ${pdu.version}; §4.3 prescribes ${expected}`,
        this.negotiated !== null && rule.headerVersion !== "zero" ? "REQ-4.5" : "REQ-4.9",
      );
    }
    if (
      this.negotiated === 1 &&
      (rule.since > 1 || (pdu.type === "ERROR" && errorCodeSince(pdu.code) > 1))
    ) {
      this.fail(`the client sent ${describePdu(pdu)} on a version 1 connection`, "REQ-11.1");
    }
    if (pdu.type === "ERROR" && ERRORS[pdu.code].closes) {
      this.closingError = { by: "client", code: pdu.code };
    }
  }
}

export function describeEvent(event: PeerEvent | TimeoutEvent): string {
  switch (event.kind) {
    case "pdu":
      return describePdu(event.pdu);
    case "timeout":
      return "nothing (timed out)";
    case "eof":
      return "the end of the connection (FIN)";
    case "reset":
      return `a broken connection (${event.reason})`;
    case "undecodable":
    case "unframeable":
      return `a bad frame (${event.error.message})`;
  }
}
