/**
 * ListenerSlot: the listeners of one event, kept as cheaply as the usual case allows.
 *
 * Almost every stream and channel has exactly one listener per event (its owner), and a server
 * keeps one stream and one channel per idle session. An array per event costs ~166 bytes each once
 * V8 grows it on the first `push` (16-17 slots), ten of them per connection (bench/README.md,
 * finding 2). So a slot holds nothing, the one listener itself, or, from the second listener on,
 * an array in registration order. Listeners still run in registration order, and one registered
 * while the event is being emitted to an array runs in that same emission, as with a plain array.
 *
 * Helpers rather than a class: a class would cost an object per event again. Use as
 * `this.x = addListener(this.x, listener)` and `emit1(this.x, value)`.
 */

export type ListenerSlot<F extends (...args: never[]) => void> = F | F[] | undefined;

export function addListener<F extends (...args: never[]) => void>(
  slot: ListenerSlot<F>,
  listener: F,
): ListenerSlot<F> {
  if (slot === undefined) return listener;
  if (typeof slot === "function") return [slot, listener];
  slot.push(listener);
  return slot;
}

export function emit0(slot: ListenerSlot<() => void>): void {
  if (slot === undefined) return;
  if (typeof slot === "function") {
    slot();
    return;
  }
  for (const listener of slot) listener();
}

export function emit1<A>(slot: ListenerSlot<(a: A) => void>, a: A): void {
  if (slot === undefined) return;
  if (typeof slot === "function") {
    slot(a);
    return;
  }
  for (const listener of slot) listener(a);
}

export function emit2<A, B>(slot: ListenerSlot<(a: A, b: B) => void>, a: A, b: B): void {
  if (slot === undefined) return;
  if (typeof slot === "function") {
    slot(a, b);
    return;
  }
  for (const listener of slot) listener(a, b);
}
