/**
 * Shared state that may live elsewhere (a cluster's network store, issue 13) answers with a
 * Promise; the in-memory default answers at once. `Awaitable<T>` is either, and `whenReady` runs
 * the next step now when the answer is already there and later when it is not, so the default
 * pays no microtask per PDU (the echo and fan-out paths are measured by `make bench`).
 */
export type Awaitable<T> = T | Promise<T>;

export function whenReady<T, R>(value: Awaitable<T>, next: (ready: T) => R): R | Promise<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}

/** Runs a step whose result nobody waits for; a failure is reported, never thrown. */
export function settleInBackground(
  value: Awaitable<unknown>,
  onError: (error: unknown) => void,
): void {
  if (value instanceof Promise) value.catch(onError);
}
