/**
 * Measures every series (a target driven by one generator) in interleaved rounds: each series once, then
 * again in a rotated order, ... rather than one after the other. On a machine shared with other work the
 * background load drifts by the second, and a series measured in a quiet minute would otherwise "beat"
 * one measured in a busy minute. A series that fails is dropped from the rest of the part.
 */
export async function runInterleaved<S, R>(
  live: Set<S>,
  rounds: number,
  describe: (series: S, round: number) => string,
  progress: (line: string) => void,
  run: (series: S) => Promise<R>,
  failed: (series: S, error: unknown) => void,
): Promise<Map<S, R[]>> {
  const done = new Map<S, R[]>();
  for (let round = 0; round < rounds; round++) {
    const order = [...live];
    const shift = round % Math.max(1, order.length);
    for (const series of [...order.slice(shift), ...order.slice(0, shift)]) {
      if (!live.has(series)) continue;
      progress(describe(series, round));
      try {
        const result = await run(series);
        done.set(series, [...(done.get(series) ?? []), result]);
      } catch (error) {
        failed(series, error);
        live.delete(series);
        done.delete(series);
      }
    }
  }
  return done;
}
