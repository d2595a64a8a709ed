/**
 * Everything one connection sent and received, with times, as a person debugging a failure wants to see
 * it: each PDU decoded and in hex (header fields grouped), bytes that did not decode, and the close.
 *
 * A failing step prints the transcripts of the connections it was waiting on, so an implementer can see
 * what their server actually did without re-running anything.
 */
import { performance } from "node:perf_hooks";
import { HEADER_LENGTH } from "../../generated/index.ts";

/** Frames longer than this are shown abbreviated: the start, then the byte count. */
const MAX_HEX_BYTES = 48;

interface Entry {
  at: number;
  direction: "→" | "←" | "·";
  text: string;
  bytes?: Uint8Array;
}

export class Transcript {
  private readonly entries: Entry[] = [];
  private readonly start = performance.now();
  /** Which of several targets the connection went to ("node 2 (127.0.0.1:4001)"), when the run has several. */
  on: string | undefined;

  /** `peer` names the other end: the server under test, or the client under test (client suite). */
  constructor(
    readonly label: string,
    readonly peer: "server" | "client" = "server",
  ) {}

  sent(bytes: Uint8Array, what: string): void {
    this.entries.push({
      at: performance.now(),
      direction: "→",
      text: what,
      bytes: Uint8Array.from(bytes),
    });
  }

  received(bytes: Uint8Array, what: string): void {
    this.entries.push({
      at: performance.now(),
      direction: "←",
      text: what,
      bytes: Uint8Array.from(bytes),
    });
  }

  note(what: string): void {
    this.entries.push({ at: performance.now(), direction: "·", text: what });
  }

  /** Milliseconds since the connection was opened, the clock every entry is shown on. */
  elapsed(at: number): number {
    return at - this.start;
  }

  format(): string {
    const lines = [
      `connection "${this.label}"${this.on ? ` to ${this.on}` : ""} (→ sent by the suite, ← received from the ${this.peer}):`,
    ];
    if (this.entries.length === 0) lines.push("  (nothing sent or received)");
    for (const entry of this.entries) {
      const time = `+${this.elapsed(entry.at).toFixed(1)}ms`.padStart(11);
      lines.push(`  ${time} ${entry.direction} ${entry.text}`);
      if (entry.bytes) lines.push(`               ${hex(entry.bytes)}`);
    }
    return lines.join("\n");
  }
}

/** Hex with the header's fields (magic, version, type, length) set apart from the payload. */
export function hex(bytes: Uint8Array): string {
  const shown = bytes.subarray(0, MAX_HEX_BYTES);
  const text = Buffer.from(shown).toString("hex");
  const grouped =
    shown.length >= HEADER_LENGTH && shown[0] === 0x50 && shown[1] === 0x52
      ? [text.slice(0, 4), text.slice(4, 6), text.slice(6, 8), text.slice(8, 16), text.slice(16)]
          .filter((part) => part.length > 0)
          .join(" ")
      : text;
  return bytes.length > MAX_HEX_BYTES ? `${grouped}… (${bytes.length} bytes)` : grouped;
}
