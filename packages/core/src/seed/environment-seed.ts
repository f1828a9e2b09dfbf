import { parseSeedText, type RootSeed } from './root-seed.js';

/** The environment variable `seedEverything()` reads when called without a seed. */
export const SEED_ENVIRONMENT_VARIABLE = 'REPROKIT_SEED';

/**
 * The root seed in `REPROKIT_SEED`, or `undefined` when it is unset (or there is no
 * `process`, as in a browser). Decimal integers in 0..2^32-1 become numbers, other text a
 * string seed; number-like text out of range (`-1`, `1e3`, `4294967296`) and an empty value
 * throw `SeedError` `SEED_INVALID`.
 *
 * @example
 * // REPROKIT_SEED=42 node train.js
 * readEnvironmentSeed(); // 42
 */
export function readEnvironmentSeed(): RootSeed | undefined {
  const environment = (globalThis as { process?: { env?: Record<string, string | undefined> } })
    .process?.env;
  return parseSeedText(environment?.[SEED_ENVIRONMENT_VARIABLE], SEED_ENVIRONMENT_VARIABLE);
}
