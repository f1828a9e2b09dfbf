/**
 * Median wall time of `runs` calls of `task` (after `warmup` untimed calls), in milliseconds.
 * The median rather than the mean, so that one garbage collection does not decide a row.
 *
 * @example
 * const ms = await measureMedian(() => session.run(feeds), 15);
 */
export async function measureMedian(
  task: () => Promise<unknown> | unknown,
  runs: number,
  warmup = 2,
): Promise<number> {
  for (let index = 0; index < warmup; index++) await task();
  const times: number[] = [];
  for (let index = 0; index < runs; index++) {
    const started = performance.now();
    await task();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const middle = Math.floor(times.length / 2);
  return times.length % 2 === 1 ? times[middle]! : (times[middle - 1]! + times[middle]!) / 2;
}
