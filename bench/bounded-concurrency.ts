/**
 * Runs `count` asynchronous jobs with at most `limit` in flight. Opening 10 000 connections at once would
 * overflow the listen backlog (SYNs dropped, 1 s retransmits) and make "time to log N sessions in" measure
 * the kernel's retry timer instead of the server.
 */
export async function forEachBounded<T>(
  count: number,
  limit: number,
  job: (index: number) => Promise<T>,
): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await job(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
  return results;
}
