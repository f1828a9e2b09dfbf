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

type Fault =
  | 'ignores-seed'
  | 'same-stream-for-every-seed'
  | 'repeats-each-draw'
  | 'snapshot-not-json'
  | 'restore-ignored'
  | 'release-leaks'
  | 'accepts-garbage'
  | 'none';

/** The draw of every fixture below: three values, so `repeats-each-draw` restarts per draw. */
const DRAW_SIZE = 3;

/** A control over its own source object, with one fault switched on. */
function controlWith(fault: Fault) {
  const original = () => 0.5;
  const source = { random: original };
  let rng = createRng(1);
  // repeats-each-draw: the state the stream goes back to after every DRAW_SIZE values.
  let restart = rng.state();
  let calls = 0;
  const patch = () => {
    restart = rng.state();
    calls = 0;
    source.random =
      fault === 'repeats-each-draw'
        ? () => {
            const value = rng.next();
            calls += 1;
            if (calls % DRAW_SIZE === 0) rng = restoreRng(restart);
            return value;
          }
        : rng.next;
  };
  const control: SeedControl = {
    name: `broken-${fault}`,
    seed(seed) {
      if (fault === 'ignores-seed') rng = createRng(Math.floor(Math.random() * 1e9));
      else if (fault === 'same-stream-for-every-seed') rng = createRng(12345);
      else rng = createRng(seed);
      patch();
    },
    snapshot: () =>
      fault === 'snapshot-not-json'
        ? // A Date does not survive JSON (it comes back as a string).
          ({ ...rng.state(), savedAt: new Date(0) } as unknown as JsonValue)
        : { ...rng.state() },
    restore(state: JsonValue) {
      if (fault === 'restore-ignored') return;
      if (fault === 'snapshot-not-json' && typeof state === 'object' && state !== null) {
        const { savedAt: _savedAt, ...rest } = state as Record<string, JsonValue>;
        state = rest;
      }
      if (fault === 'accepts-garbage') {
        try {
          rng = restoreRng(parseRngState(state));
        } catch {
          rng = createRng(7);
        }
      } else rng = restoreRng(parseRngState(state));
      patch();
    },
    release() {
      if (fault !== 'release-leaks') source.random = original;
    },
  };
  return {
    control,
    draw: () => Array.from({ length: DRAW_SIZE }, () => source.random()),
    patchedValue: () => source.random,
  };
}

if (process.env.REPROKIT_SEED_SUITE_SELF_TEST === '1') {
  describeSeedControl('ignores-seed', () => controlWith('ignores-seed'));
  describeSeedControl('same-stream-for-every-seed', () =>
    controlWith('same-stream-for-every-seed'),
  );
  describeSeedControl('repeats-each-draw', () => controlWith('repeats-each-draw'));
  describeSeedControl('snapshot-not-json', () => controlWith('snapshot-not-json'));
  describeSeedControl('correct', () => controlWith('none'));
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
