/**
 * In a page, tfjs comes as ES modules: `tf.util` is a module namespace, so the tfjs seed control
 * cannot replace `tf.util.shuffle`, the function `model.fit` shuffles with. It reaches that
 * shuffle from both sides instead (FitShuffleWindow: fit's `onEpochBegin` callbacks and the
 * `makeTensor` of its index array) and feeds it from its own `shuffle` stream, as in Node.
 * The demo's cross-environment test checks the weights against Node's; this file checks the
 * mechanism in the page. Runs in Chromium only (`*.browser.test.ts`).
 */
import { seedEverything } from '@reprokit/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tfjsSeedControl } from '../../src/seed/index.js';
import { orderSensitiveModel, weightsAndFindings } from '../seed/order-sensitive-model.js';

async function train(
  seed: number,
  options: { alone?: boolean; drawBetweenEpochs?: boolean } = {},
): Promise<{ weights: number[][]; findings: string[] }> {
  const control = tfjsSeedControl(tf, { audit: 'error' });
  // `alone`: the tfjs control only, Math.random left to the engine (unseeded).
  const scope = options.alone
    ? { release: () => control.release() }
    : seedEverything(seed, { controls: [control] });
  if (options.alone) control.seed(seed);
  const { xs, ys, model } = orderSensitiveModel(tf);
  try {
    await model.fit(xs, ys, {
      epochs: 3,
      batchSize: 1,
      shuffle: true,
      verbose: 0,
      callbacks: options.drawBetweenEpochs ? { onEpochEnd: () => void Math.random() } : [],
    });
    return weightsAndFindings(model, control);
  } finally {
    scope.release();
    model.dispose();
    tf.dispose([xs, ys]);
  }
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('model.fit shuffle where tf.util is an ES module namespace', () => {
  it('tf.util.shuffle cannot be redefined here', () => {
    const descriptor = Object.getOwnPropertyDescriptor(tf.util, 'shuffle');
    expect(descriptor?.configurable).toBe(false);
    expect(descriptor?.writable ?? false).toBe(false);
  });

  it("covers fit's shuffle anyway: 'error' mode seeds, and training twice gives the same weights", async () => {
    const first = await train(7);
    expect(first.findings).toEqual([]);
    expect((await train(7)).weights).toEqual(first.weights);
    expect((await train(8)).weights).not.toEqual(first.weights);
  });

  it('draws the order from its own stream, not from Math.random', async () => {
    // With Math.random unseeded, two runs still agree: fit's order comes from the control.
    const alone = await train(7, { alone: true });
    expect((await train(7, { alone: true })).weights).toEqual(alone.weights);
    // User code drawing Math.random between epochs does not move it either.
    const first = await train(7);
    expect((await train(7, { drawBetweenEpochs: true })).weights).toEqual(first.weights);
  });

  it('puts back CallbackList, the engine and Math.random on release', async () => {
    const onEpochBegin = tf.CallbackList.prototype.onEpochBegin;
    const random = Math.random;
    await train(9);
    expect(tf.CallbackList.prototype.onEpochBegin).toBe(onEpochBegin);
    expect(Object.hasOwn(tf.engine(), 'makeTensor')).toBe(false);
    expect(Math.random).toBe(random);
  });
});
