/**
 * DescriptorHeadroom: keeps a listener from running the process out of file descriptors.
 *
 * When accept() fails with EMFILE, libuv accepts and closes the waiting connections with a spare
 * descriptor and reports nothing: clients are dropped without a word, and the server has no
 * descriptor left for a users file, a TLS certificate or its log (issue 12). So the listener
 * stops accepting a little before that: once the descriptors in use come within `reserve` of the
 * process's limit, it closes its listening socket (new clients get "connection refused", which
 * says what happened) and listens again once enough connections have closed.
 *
 * The limit and the count come from /proc/self (Linux). Where that is missing the guard does
 * nothing. The count is estimated from the connections this listener holds and counted exactly
 * only past half the limit, so the common case costs an addition per connection.
 */
import { readdirSync, readFileSync } from "node:fs";

export interface DescriptorHeadroomOptions {
  /** Descriptors kept free for everything but connections. Default 32. */
  reserve?: number;
  /** The soft limit; default read from /proc/self/limits. For tests. */
  limit?: number;
  /** Counts the descriptors in use; default the entries of /proc/self/fd. */
  countInUse?: () => number;
}

export const DEFAULT_DESCRIPTOR_RESERVE = 32;

export class DescriptorHeadroom {
  readonly limit: number;
  private readonly reserve: number;
  private readonly countInUse: () => number;
  /** Descriptors in use other than this listener's connections, as last counted. */
  private baseline: number;
  private connections = 0;
  private paused = false;

  constructor(options: DescriptorHeadroomOptions = {}) {
    this.reserve = options.reserve ?? DEFAULT_DESCRIPTOR_RESERVE;
    this.countInUse = options.countInUse ?? countOpenDescriptors;
    this.limit = options.limit ?? softDescriptorLimit();
    this.baseline = Number.isFinite(this.limit) ? this.countInUse() : 0;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** In use now, counted exactly (call sparingly: it lists /proc/self/fd). */
  inUse(): number {
    const inUse = this.countInUse();
    this.baseline = Math.max(0, inUse - this.connections);
    return inUse;
  }

  /** A connection was accepted. True if the listener should stop accepting now. */
  opened(): boolean {
    this.connections += 1;
    if (this.paused || !Number.isFinite(this.limit)) return false;
    const high = this.limit - this.reserve;
    const estimate = this.baseline + this.connections;
    // Estimated first; counted exactly near the limit, and past half of it every reserve / 2
    // connections, so that descriptors opened elsewhere meanwhile are noticed in time.
    const countNow =
      estimate >= high ||
      (estimate >= this.limit / 2 && this.connections % Math.max(1, this.reserve >> 1) === 0);
    if (!countNow || this.inUse() < high) return false;
    this.paused = true;
    return true;
  }

  /** accept() failed for lack of descriptors: paused whatever the count says. */
  pause(): void {
    this.paused = true;
  }

  /** A connection closed. True if a paused listener may accept again. */
  closed(): boolean {
    this.connections = Math.max(0, this.connections - 1);
    if (!this.paused || this.baseline + this.connections >= this.resumeBelow()) return false;
    return this.mayResume();
  }

  /** Counts exactly; true (and no longer paused) if a paused listener may accept again. */
  mayResume(): boolean {
    if (!this.paused || this.inUse() >= this.resumeBelow()) return false;
    this.paused = false;
    return true;
  }

  // With room for a burst, not at the first free descriptor. Without a known limit, an EMFILE
  // pause ends at the next check.
  private resumeBelow(): number {
    return Number.isFinite(this.limit) ? this.limit - 2 * this.reserve : Number.POSITIVE_INFINITY;
  }
}

function softDescriptorLimit(): number {
  try {
    const limits = readFileSync("/proc/self/limits", "utf8");
    const match = /^Max open files\s+(\d+|unlimited)/m.exec(limits);
    if (match === null || match[1] === "unlimited") return Number.POSITIVE_INFINITY;
    return Number(match[1]);
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

// 0 where /proc is missing: then there is no limit to compare with either.
function countOpenDescriptors(): number {
  try {
    return readdirSync("/proc/self/fd").length;
  } catch {
    return 0;
  }
}
