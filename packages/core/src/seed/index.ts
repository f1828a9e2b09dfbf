export {
  deriveSeed,
  nonZeroSeed,
  SEED_DERIVATION_TAG,
  ZERO_SEED_REPLACEMENT,
} from './derive-seed.js';
export { readEnvironmentSeed, SEED_ENVIRONMENT_VARIABLE } from './environment-seed.js';
export { MATH_RANDOM_CONTROL_NAME, mathRandomSeedControl } from './math-random-seed-control.js';
export { createRng, parseRngState, type Rng, type RngState, restoreRng } from './rng.js';
export { assertRootSeed, MAX_SEED, parseSeedText, type RootSeed } from './root-seed.js';
export type { SeedContext, SeedControl } from './seed-control.js';
export { SeedError, type SeedErrorCode, type SeedErrorOptions } from './seed-error.js';
export {
  currentSeedScope,
  restoreSeeds,
  type SeedEverythingOptions,
  type SeedScope,
  type SeedSnapshot,
  seedEverything,
} from './seed-everything.js';
export { withSeed } from './with-seed.js';
