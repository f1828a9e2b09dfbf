/** The seed CI fuzzes with, so that a failure is reproduced by running the tests again. */
export const CI_FUZZ_SEED = 20_261_128;

/**
 * Seed and case count of the fuzz tests: `REPROKIT_FUZZ_SEED` and `REPROKIT_FUZZ_RUNS` override
 * the fixed CI seed and the 10,000 cases per reader (to replay a `pnpm fuzz` failure, set the
 * seed it printed).
 *
 * @example
 * const { seed, numRuns } = fuzzTestSettings();
 */
export function fuzzTestSettings(defaultRuns = 10_000): { seed: number; numRuns: number } {
  const seed = Number(process.env.REPROKIT_FUZZ_SEED ?? CI_FUZZ_SEED);
  const runs = Number(process.env.REPROKIT_FUZZ_RUNS ?? defaultRuns);
  return {
    seed: Number.isSafeInteger(seed) ? seed : CI_FUZZ_SEED,
    numRuns: Number.isSafeInteger(runs) && runs > 0 ? runs : defaultRuns,
  };
}
