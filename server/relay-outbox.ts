/**
 * RelayOutbox: how PDUs that other sessions cause (direct messages, room messages and events,
 * typing notices, presence events) are written to one connection, and the bound on how far such
 * a connection may fall behind.
 *
 * A session's own replies are already bounded: when its socket backs up, the server stops reading
 * its requests (PduChannel `pauseReadingWhileBlocked`). Relayed PDUs (its own copy of its
 * ROOM_MESSAGE among them) are written with `sendUnasked`, which never does: a member whose socket
 * is full of fan-out but which keeps sending is still read and served, not timed out (REQ-12.41).
 *
 * Fan-out needs its own bound: a member of a busy room that does not read would make the server queue everybody else's messages for it without
 * end, and holding the senders back would let one slow member stall a whole room. So a relayed
 * PDU is written at once, never held back, but the bytes written while the socket is backed up
 * (above its high-water mark, until it drains) are counted; past `maxBacklogBytes` the outbox
 * stops writing and reports an overflow, and the session closes that connection. The member sees a prefix of
 * its room's history and then the end of the stream, never a history with holes in it; everyone
 * else carries on (and sees it leave the room).
 *
 * One relayed PDU is encoded once per header version, however many members it goes to
 * (transport/shared-frame.ts); this file only decides whether the frame is written.
 */
import type { PduChannel } from "../transport/pdu-channel.ts";
import { sharedFrame } from "../transport/shared-frame.ts";
import { headerVersionFor } from "./header-version.ts";
import type { OutgoingPdu } from "./outgoing-pdu.ts";

/** Default bound on relayed bytes queued behind a backed-up socket: 256 full room messages. */
export const DEFAULT_MAX_RELAY_BACKLOG_BYTES = 1024 * 1024;

export interface RelayOutboxOptions {
  /** The version the recipient's connection negotiated: its header versions follow (REQ-4.9). */
  negotiatedVersion: number;
  maxBacklogBytes: number;
  /** The backlog passed the bound; nothing more is written. Called once. */
  onOverflow: (backlogBytes: number) => void;
  /** Encoding failed (a bug); nothing more is written. Called once. */
  onFault: (error: unknown) => void;
}

export class RelayOutbox {
  private readonly channel: PduChannel;
  private readonly options: RelayOutboxOptions;
  private backlogBytes = 0;
  private stopped = false;

  constructor(channel: PduChannel, options: RelayOutboxOptions) {
    this.channel = channel;
    this.options = options;
    channel.onDrain(() => {
      this.backlogBytes = 0;
    });
  }

  /** Bytes written since the socket last backed up and has not drained yet. */
  get backlog(): number {
    return this.backlogBytes;
  }

  deliver(pdu: OutgoingPdu): void {
    if (this.stopped || this.channel.isClosing) return;
    let frame: Uint8Array;
    try {
      frame = sharedFrame(pdu, headerVersionFor(pdu.type, this.options.negotiatedVersion));
    } catch (error) {
      this.stopped = true;
      this.options.onFault(error);
      return;
    }
    if (this.channel.writableNeedDrain) {
      this.backlogBytes += frame.length;
      if (this.backlogBytes > this.options.maxBacklogBytes) {
        this.stopped = true;
        this.options.onOverflow(this.backlogBytes);
        return;
      }
    }
    this.channel.sendUnasked(frame);
  }
}
