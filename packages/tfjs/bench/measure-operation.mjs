/**
 * The measuring half of a case script (`*-case.mjs`, run by `child-process-runs.ts`): times one
 * operation in this process and reads the process's RSS before it and at its peak after it.
 * Plain JavaScript, since the children run `node` without a TypeScript loader.
 */

/**
 * Returns `{ result, ms, peakRssBytes, rssBeforeBytes }`. What the operation returns is handed
 * back, so it stays alive until the peak is read: that memory is part of the result.
 */
export async function measureOperation(operation) {
  const rssBeforeBytes = process.memoryUsage().rss;
  const start = performance.now();
  const result = await operation();
  const ms = performance.now() - start;
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  return { result, ms, peakRssBytes, rssBeforeBytes };
}
