/**
 * TimeoutWheel: the server's timer for ping and handshake timeouts, cheap with 100k+ sessions.
 *
 * Not one setTimeout per session per PDU: a hashed wheel of `slotCount` buckets, each covering
 * `tickMs`, driven by one interval timer. Each tracked item sits in the bucket of its deadline.
 * Activity does not touch the wheel: a session only updates its "last seen" time, which moves its
 * deadline later. When a bucket's tick comes, each item in it is asked for its current deadline:
 * past → it expires; later → it moves to the bucket of the new deadline; null → dropped. So a busy
 * session costs one re-bucketing per timeout period, not one timer per PDU.
 *
 * Precision: an item expires no earlier than its deadline (a bucket is processed only once its
 * whole tick has passed) and no later than about one tick plus event-loop lag after it. The server
 * uses tickMs = min(250, timeoutTolerance / 4), well inside the spec's 1000 ms tolerance.
 *
 * Whoever moves an item's deadline EARLIER (e.g. a session entering a state that has a ping
 * timeout) must call `reschedule(item)`; moving it later needs nothing.
 */

/** Something with a deadline on the wheel's clock (performance.now() milliseconds). */
export interface Expirable {
  /** The current deadline, or null when nothing should fire any more. */
  deadline(): number | null;
  /** Called once the deadline has passed; the item is no longer tracked. */
  expire(now: number): void;
}

/** What a server needs from its timeout mechanism; a seam (the broken "never times out" variant). */
export interface TimeoutScheduler {
  track(item: Expirable): void;
  reschedule(item: Expirable): void;
  untrack(item: Expirable): void;
  stop(): void;
}

export interface TimeoutWheelOptions {
  tickMs: number;
  /** Buckets in one turn of the wheel. Deadlines further away wait for later turns. */
  slotCount?: number;
  /** The clock; tests pass their own and call `runDue`. */
  now?: () => number;
  /** Start the interval timer (default true); tests drive the wheel with `runDue` instead. */
  autoStart?: boolean;
  /** An item's expire() threw; the wheel carries on with the others. */
  onError?: (error: unknown) => void;
}

export class TimeoutWheel implements TimeoutScheduler {
  private readonly tickMs: number;
  private readonly slotCount: number;
  private readonly now: () => number;
  private readonly onError: (error: unknown) => void;
  private readonly slots: Set<Expirable>[];
  private readonly slotOf = new Map<Expirable, number>();
  private lastTick: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(options: TimeoutWheelOptions) {
    if (!(options.tickMs > 0)) throw new RangeError("tickMs must be positive");
    this.tickMs = options.tickMs;
    this.slotCount = options.slotCount ?? 1024;
    this.now = options.now ?? (() => performance.now());
    this.onError = options.onError ?? (() => {});
    this.slots = Array.from({ length: this.slotCount }, () => new Set<Expirable>());
    this.lastTick = Math.floor(this.now() / this.tickMs);
    if (options.autoStart ?? true) {
      this.timer = setInterval(() => this.runDue(this.now()), this.tickMs);
      // The wheel never keeps a process alive on its own; listeners and sockets do.
      this.timer.unref();
    }
  }

  /** Number of items on the wheel. */
  get size(): number {
    return this.slotOf.size;
  }

  track(item: Expirable): void {
    this.place(item);
  }

  reschedule(item: Expirable): void {
    this.place(item);
  }

  untrack(item: Expirable): void {
    const slot = this.slotOf.get(item);
    if (slot === undefined) return;
    this.slots[slot]!.delete(item);
    this.slotOf.delete(item);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    for (const slot of this.slots) slot.clear();
    this.slotOf.clear();
  }

  /** Processes every tick that has fully passed by `now`. */
  runDue(now: number): void {
    const dueTick = Math.floor(now / this.tickMs) - 1;
    // After a long stall, one turn of the wheel visits every bucket; more would repeat them.
    if (dueTick - this.lastTick > this.slotCount) this.lastTick = dueTick - this.slotCount;
    while (this.lastTick < dueTick) {
      this.lastTick += 1;
      const index = this.lastTick % this.slotCount;
      const bucket = this.slots[index]!;
      if (bucket.size === 0) continue;
      // Items re-placed into this same index belong to a later turn: give them a fresh set.
      this.slots[index] = new Set();
      for (const item of bucket) {
        this.slotOf.delete(item);
        const deadline = item.deadline();
        if (deadline === null) continue;
        if (deadline <= now) {
          try {
            item.expire(now);
          } catch (error) {
            this.onError(error);
          }
        } else {
          this.place(item);
        }
      }
    }
  }

  private place(item: Expirable): void {
    this.untrack(item);
    const deadline = item.deadline();
    if (deadline === null) return;
    // The tick during which the deadline falls; it is processed once that tick has fully passed.
    let tick = Math.floor(deadline / this.tickMs);
    if (tick <= this.lastTick) tick = this.lastTick + 1;
    // Too far for this turn: park it in the last bucket of the turn and look again then.
    if (tick - this.lastTick >= this.slotCount) tick = this.lastTick + this.slotCount - 1;
    const index = tick % this.slotCount;
    this.slots[index]!.add(item);
    this.slotOf.set(item, index);
  }
}
