/**
 * tfjs loaded as ES modules (pages, bundlers) has a frozen `tf.util`, so the control reaches
 * `model.fit`'s shuffle through FitShuffleWindow instead of replacing `tf.util.shuffle`. Here the
 * CommonJS tfjs of Node is given to a second copy of the control with `util` frozen: fit itself
 * still calls tfjs' internal util, which that copy leaves alone, exactly as in a page. Both
 * routes must give the same batch order, hence the same weights, and the same exact resume.
 */
import { seedEverything } from '@reprokit/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { tfjsSeedControl as controlWithUtilHook } from '../../src/seed/tfjs-seed-control.js';
import type { TfjsModule } from '../../src/tfjs-module.js';
import { orderSensitiveModel, weightsAndFindings } from './order-sensitive-model.js';

type ControlFactory = typeof controlWithUtilHook;

/** A second copy of the control's modules (a hub of its own) and tfjs with `util` frozen. */
async function esmLikeRoute(): Promise<{ factory: ControlFactory; tfjs: TfjsModule }> {
  vi.resetModules();
  const fresh = (await import('../../src/seed/tfjs-seed-control.js')) as {
    tfjsSeedControl: ControlFactory;
  };
  const frozenUtil = Object.freeze({ ...tf.util });
  return { factory: fresh.tfjsSeedControl, tfjs: { ...tf, util: frozenUtil } as TfjsModule };
}

async function train(
  factory: ControlFactory,
  tfjs: TfjsModule,
  plan: { epochs: number; resumeAfter?: number; shuffle?: boolean },
): Promise<{ weights: number[][]; findings: string[] }> {
  const control = factory(tfjs, { audit: 'warn', onFinding: () => {} });
  const scope = seedEverything(5, { controls: [control] });
  const { xs, ys, model } = orderSensitiveModel(tf);
  try {
    const shuffle = plan.shuffle ?? true;
    const fitArgs = { batchSize: 1, shuffle, verbose: 0 } as const;
    if (plan.resumeAfter === undefined) {
      await model.fit(xs, ys, { ...fitArgs, epochs: plan.epochs });
    } else {
      await model.fit(xs, ys, { ...fitArgs, epochs: plan.resumeAfter });
      const state = scope.snapshot();
      tf.randomUniform([7]).dispose(); // draws after the snapshot must not matter
      Math.random();
      scope.restore(state);
      await model.fit(xs, ys, { ...fitArgs, initialEpoch: plan.resumeAfter, epochs: plan.epochs });
    }
    return weightsAndFindings(model, control);
  } finally {
    scope.release();
    model.dispose();
    tf.dispose([xs, ys]);
  }
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('model.fit shuffle where tf.util is frozen (FitShuffleWindow)', () => {
  it('gives the weights of the tf.util hook, epoch after epoch, and the same exact resume', async () => {
    const hooked = await train(controlWithUtilHook, tf as unknown as TfjsModule, { epochs: 3 });
    const hookedResumed = await train(controlWithUtilHook, tf as unknown as TfjsModule, {
      epochs: 3,
      resumeAfter: 1,
    });
    const unshuffled = await train(controlWithUtilHook, tf as unknown as TfjsModule, {
      epochs: 3,
      shuffle: false,
    });
    expect(hooked.findings).toEqual([]);
    expect(hookedResumed.weights).toEqual(hooked.weights);
    expect(unshuffled.weights).not.toEqual(hooked.weights); // the order does matter here

    const esm = await esmLikeRoute();
    const windowed = await train(esm.factory, esm.tfjs, { epochs: 3 });
    expect(windowed.findings).toEqual([]);
    expect(windowed.weights).toEqual(hooked.weights);
    const windowedResumed = await train(esm.factory, esm.tfjs, { epochs: 3, resumeAfter: 2 });
    expect(windowedResumed.weights).toEqual(hooked.weights);
    expect((await train(esm.factory, esm.tfjs, { epochs: 3, shuffle: false })).weights).toEqual(
      unshuffled.weights,
    );
  });

  it('leaves tf.util, CallbackList and the engine as they were after release', async () => {
    const esm = await esmLikeRoute();
    const onEpochBegin = tf.CallbackList.prototype.onEpochBegin;
    const engine = tf.engine() as unknown as Record<string, unknown>;
    const hadOwnMakeTensor = Object.hasOwn(engine, 'makeTensor');
    const random = Math.random;
    await train(esm.factory, esm.tfjs, { epochs: 1 });
    expect(tf.CallbackList.prototype.onEpochBegin).toBe(onEpochBegin);
    expect(Object.hasOwn(engine, 'makeTensor')).toBe(hadOwnMakeTensor);
    expect(Math.random).toBe(random);
  });
});
