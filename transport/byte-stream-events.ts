/**
 * ByteStreamEvents: the listener slots every ByteStream keeps for its events (byte-stream.ts) and
 * the registrations that only register, shared by socket-stream.ts, memory-stream.ts,
 * quic/quic-byte-stream.ts and websocket/websocket-stream.ts. `onData` stays each stream's own:
 * the first reader is what starts reading. Plain fields, no object per event (listener-slot.ts):
 * an idle session holds one stream.
 */
import type { StreamCloseInfo } from "./byte-stream.ts";
import { addListener, type ListenerSlot } from "./listener-slot.ts";

export abstract class ByteStreamEvents {
  protected dataListeners: ListenerSlot<(chunk: Uint8Array) => void>;
  protected drainListeners: ListenerSlot<() => void>;
  protected endListeners: ListenerSlot<() => void>;
  protected closeListeners: ListenerSlot<(info: StreamCloseInfo) => void>;

  onDrain(listener: () => void): void {
    this.drainListeners = addListener(this.drainListeners, listener);
  }

  onEnd(listener: () => void): void {
    this.endListeners = addListener(this.endListeners, listener);
  }

  onClose(listener: (info: StreamCloseInfo) => void): void {
    this.closeListeners = addListener(this.closeListeners, listener);
  }
}
