/**
 * SessionParticipant: the Participant of a session on this server. It owns what goes to its
 * connection from elsewhere: which types its version may receive (REQ-12.3), the header version
 * each relayed PDU carries (the recipient's own, REQ-4.9), and the RelayOutbox that bounds how far
 * the connection may fall behind. The registries and the fan-out only ever call `deliver`.
 */
import { type ErrorCodeName, MESSAGE_RULES, type MessageTypeName } from "../generated/index.ts";
import type { PduChannel } from "../transport/pdu-channel.ts";
import { formForVersion } from "./history/version-2-form.ts";
import type { Logger } from "./logger.ts";
import type { OutgoingPdu } from "./outgoing-pdu.ts";
import type { Participant } from "./participant.ts";
import { RelayOutbox } from "./relay-outbox.ts";
import type { SharedState } from "./session-context.ts";

/** The session a participant belongs to, as far as it ends it for a relay gone wrong. */
export interface ParticipantOwner {
  readonly log: Logger;
  readonly channel: PduChannel;
  readonly shared: Pick<SharedState, "metrics">;
  sendError(code: ErrorCodeName, detail: string): void;
  /** Runs a step so that a bug in it costs this connection only (REQ-8.9). */
  guard(step: () => void): void;
  internalError(error: unknown): void;
  /** The session is ending: its last PDU (an ERROR, or none after LOGOUT) is out. */
  readonly isClosing: boolean;
}

export class SessionParticipant implements Participant {
  readonly user: string;
  readonly version: number;
  private readonly owner: ParticipantOwner;
  private readonly maxBacklogBytes: number;
  // Created on the first relayed PDU: most sessions never get one (bench/README.md, finding 2).
  private outbox: RelayOutbox | undefined;

  constructor(user: string, version: number, owner: ParticipantOwner, maxBacklogBytes: number) {
    this.user = user;
    this.version = version;
    this.owner = owner;
    this.maxBacklogBytes = maxBacklogBytes;
  }

  speaks(type: MessageTypeName): boolean {
    return MESSAGE_RULES[type].since <= this.version;
  }

  deliver(pdu: OutgoingPdu): void {
    // Nothing follows a closing session's last PDU (REQ-8.3), though a cluster keeps it in its
    // rooms until the store has heard its LEFT: on one server it is out of them at once.
    if (this.owner.isClosing) return;
    // A version-3 message reaches a version-2 session in its version-2 form (REQ-15.2).
    const form = formForVersion(pdu, this.version);
    // The registries never address a version-1 session with a version-2 PDU; this is the last
    // line of REQ-12.3 should one of them (or a variant) get that wrong.
    if (form === undefined) {
      this.owner.log.error(
        { type: pdu.type, version: this.version },
        "fan-out of a type this session lacks; not sent",
      );
      return;
    }
    this.outbox ??= this.createOutbox();
    this.outbox.deliver(form);
  }

  private createOutbox(): RelayOutbox {
    const owner = this.owner;
    return new RelayOutbox(owner.channel, {
      negotiatedVersion: this.version,
      maxBacklogBytes: this.maxBacklogBytes,
      onOverflow: (backlogBytes) => this.overflowed(backlogBytes),
      onFault: (error) => queueMicrotask(() => owner.internalError(error)),
    });
  }

  /** A slow reader: the relayed backlog passed `maxBacklogBytes`; its session ends (REQ-12.37). */
  private overflowed(backlogBytes: number): void {
    const owner = this.owner;
    owner.log.warn(
      { user: this.user, backlogBytes, limit: this.maxBacklogBytes },
      "slow reader: relayed PDUs backed up past the limit; closing with SLOW_CONSUMER",
    );
    owner.shared.metrics.slowReaderClosed();
    // Deferred: the overflow happens inside someone else's fan-out, and leaving rooms now would
    // send this session's LEFT to some members ahead of the PDU still being fanned out (REQ-12.8).
    // The outbox has stopped, so the ERROR follows the last whole relayed PDU (REQ-12.37); only
    // version-2 sessions receive fan-out, so the version-2 code never reaches a version-1 one.
    queueMicrotask(() =>
      owner.guard(() =>
        owner.sendError("SLOW_CONSUMER", `${backlogBytes} relayed bytes backed up unread`),
      ),
    );
  }
}
