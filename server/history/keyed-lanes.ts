/**
 * KeyedLanes: runs async tasks one at a time per key, in the order they were queued, and tasks of
 * different keys side by side. Version 3 needs it where an await sits between two steps that must
 * not be split (spec §15): a room message takes its id from the store and then fans out, and no
 * other message of that room may fan out in between, or members would see seqs out of order
 * (REQ-15.7); a resume reads what was missed and then joins, and no message may fall between the
 * read and the join (REQ-15.16); a direct message to an offline user is queued, and the user's
 * login must not take the queue in between (REQ-15.20). A lane holds its key only while a task
 * runs or waits; an idle key costs nothing.
 *
 * A task may answer at once (a memory store's append and a local fan-out): on an idle key it then
 * runs and answers synchronously, and the lane is never held, so the default server pays no
 * microtask and no paused connection per room message (bench/README.md, "History").
 */
import type { Awaitable } from "../awaitable.ts";

export class KeyedLanes {
  private readonly tails = new Map<string, Promise<unknown>>();

  /**
   * Runs `task` after every task queued before it for `key`; settles as the task does. On an idle
   * key it runs now, and a task that answers at once (or throws) answers the caller at once.
   */
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  run<T>(key: string, task: () => Awaitable<T>): Awaitable<T>;
  run<T>(key: string, task: () => Awaitable<T>): Awaitable<T> {
    const previous = this.tails.get(key);
    let result: Promise<T>;
    if (previous === undefined) {
      const now = task();
      if (!(now instanceof Promise)) return now;
      result = now;
    } else {
      // A failed task must not stop the lane: the next one runs after it settles either way.
      result = previous.then(task, task);
    }
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with a task running or waiting (for tests and metrics). */
  get busyKeys(): number {
    return this.tails.size;
  }
}
