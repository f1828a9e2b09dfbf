/**
 * A gate that lets at most `limit` async tasks run at once; the others wait their turn in
 * call order. The demo runs its training processes through one, one per core.
 *
 * @example
 * const gate = limitConcurrency(2);
 * const [a, b, c] = await Promise.all([gate(() => run(1)), gate(() => run(2)), gate(() => run(3))]);
 */
export function limitConcurrency(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}
