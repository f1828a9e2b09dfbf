/**
 * Deliberately broken seed controls, run through describeSeedControl by
 * describe-seed-control.test.ts (in a child vitest run with REPROKIT_SEED_SUITE_SELF_TEST=1)
 * to prove the suite catches each fault. In a normal test run it registers one skipped test.
 */
import {
  createRng,
  type JsonValue,
  parseRngState,
  restoreRng,
  type SeedControl,
} from '@reprokit/core';
import { it } from 'vitest';
import { describeSeedControl } from '../describe-seed-control.js';

type Fault = 'ignores-seed' | 'restore-ignored' | 'release-leaks' | 'accepts-garbage' | 'none';

/** A control over its own source object, with one fault switched on. */
function controlWith(fault: Fault) {
  const original = () => 0.5;
  const source = { random: original };
  let rng = createRng(1);
  const control: SeedControl = {
    name: `broken-${fault}`,
    seed(seed) {
      rng = createRng(fault === 'ignores-seed' ? Math.floor(Math.random() * 1e9) : seed);
      source.random = rng.next;
    },
    snapshot: () => ({ ...rng.state() }),
    restore(state: JsonValue) {
      if (fault === 'restore-ignored') return;
      if (fault === 'accepts-garbage') {
        try {
          rng = restoreRng(parseRngState(state));
        } catch {
          rng = createRng(7);
        }
      } else rng = restoreRng(parseRngState(state));
      source.random = rng.next;
    },
    release() {
      if (fault !== 'release-leaks') source.random = original;
    },
  };
  return {
    control,
    draw: () => [source.random(), source.random(), source.random()],
    patchedValue: () => source.random,
  };
}

if (process.env.REPROKIT_SEED_SUITE_SELF_TEST === '1') {
  describeSeedControl('ignores-seed', () => controlWith('ignores-seed'));
  describeSeedControl('restore-ignored', () => controlWith('restore-ignored'));
  describeSeedControl('release-leaks', () => controlWith('release-leaks'));
  describeSeedControl('accepts-garbage', () => controlWith('accepts-garbage'));
  describeSeedControl('no-snapshot', () => controlWith('none'), {
    snapshot: false,
    reasons: { snapshot: 'this fixture pretends to have no state' },
  });
} else {
  it.skip('broken seed controls (skipped: run only by describe-seed-control.test.ts, where they must fail)', () => {});
}
