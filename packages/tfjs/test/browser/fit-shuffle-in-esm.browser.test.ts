/**
 * In a page, tfjs comes as ES modules: `tf.util` is a module namespace, so the tfjs seed control
 * cannot replace `tf.util.shuffle`, the function `model.fit` shuffles with. It says so (an audit
 * finding), and `seedEverything`'s `math-random` control, on by default, makes that shuffle
 * reproducible anyway, since `tf.util.shuffle` draws from `Math.random`.
 * Runs in Chromium only (`*.browser.test.ts`).
 */
import { seedEverything } from '@reprokit/core';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { tfjsSeedControl } from '../../src/seed/index.js';

function shuffledOrder(): number[] {
  const order = Array.from({ length: 16 }, (_, index) => index);
  tf.util.shuffle(order);
  return order;
}

describe('model.fit shuffle where tf.util is an ES module namespace', () => {
  it('tf.util.shuffle cannot be redefined here', () => {
    const descriptor = Object.getOwnPropertyDescriptor(tf.util, 'shuffle');
    expect(descriptor?.configurable).toBe(false);
    expect(descriptor?.writable ?? false).toBe(false);
  });

  it("the control reports it ('error' mode refuses to seed) and names the way out", () => {
    const strict = tfjsSeedControl(tf, { audit: 'error' });
    let caught: unknown;
    try {
      strict.seed(1);
    } catch (error) {
      caught = error;
    }
    expect((caught as { code?: string }).code).toBe('TFJS_SEED_NONDETERMINISTIC');
    expect(String((caught as Error).message)).toContain('math-random');
    const lenient = tfjsSeedControl(tf, { audit: 'warn', onFinding: () => {} });
    const scope = seedEverything(1, { controls: [lenient] });
    scope.release();
    expect(lenient.findings().map((finding) => finding.kind)).toEqual(['fit-shuffle-not-covered']);
  });

  it("seedEverything's math-random control makes the shuffle reproducible", () => {
    const runs = [7, 7, 8].map((seed) => {
      const control = tfjsSeedControl(tf, { audit: 'warn', onFinding: () => {} });
      const scope = seedEverything(seed, { controls: [control] });
      try {
        return [shuffledOrder(), shuffledOrder()];
      } finally {
        scope.release();
      }
    });
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[0]![1]).not.toEqual(runs[0]![0]);
    expect(runs[2]).not.toEqual(runs[0]);
  });
});
