import { mathRandomSeedControl } from '@reprokit/core';
import { afterAll, expect, it } from 'vitest';
import { describeSeedControl } from './describe-seed-control.js';

const native = Math.random;

describeSeedControl(
  'math-random',
  () => ({
    control: mathRandomSeedControl(),
    draw: () => [Math.random(), Math.random(), Math.random(), Math.random()],
    patchedValue: () => Math.random,
  }),
  { snapshot: true, release: true },
);

afterAll(() => {
  // The suite must leave the process as it found it.
  expect(Math.random).toBe(native);
});

it('the suite left the native Math.random in place between tests', () => {
  expect(Math.random).toBe(native);
});
