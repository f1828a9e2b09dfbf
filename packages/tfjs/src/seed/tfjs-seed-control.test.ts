import { ReprokitError, seedEverything } from '@reprokit/core';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DeterminismFinding } from './determinism-audit.js';
import { type TfjsSeedControl, tfjsSeedControl } from './tfjs-seed-control.js';

type AnyFunction = (...args: unknown[]) => unknown;

const controls: TfjsSeedControl[] = [];
function makeControl(options?: Parameters<typeof tfjsSeedControl>[1]): TfjsSeedControl {
  const control = tfjsSeedControl(tf, options ?? { audit: 'off' });
  controls.push(control);
  return control;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterEach(() => {
  for (const control of controls.splice(0)) control.release();
});

/** Every unseeded random op once, as plain numbers. */
function drawRandomOps(): number[][] {
  return tf.tidy(() =>
    [
      tf.randomUniform([4]),
      tf.randomUniformInt([4], 0, 1000),
      tf.randomNormal([4]),
      tf.randomStandardNormal([4]),
      tf.truncatedNormal([4]),
      tf.randomGamma([4], 2),
      tf.multinomial(tf.tensor1d([0.1, 0.2, 0.3, 0.4]), 8, undefined, false),
      tf.dropout(tf.ones([16]), 0.5),
    ].map((tensor) => Array.from(tensor.dataSync())),
  );
}

function denseKernels(): number[][] {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [3], units: 4 }),
      tf.layers.dense({ units: 4, kernelInitializer: 'heNormal' }),
      tf.layers.dense({ units: 4, kernelInitializer: 'orthogonal' }),
    ],
  });
  const kernels = model.getWeights().map((weight) => Array.from(weight.dataSync()));
  model.dispose();
  return kernels;
}

function noiseLayersInTraining(): number[][] {
  const input = tf.ones([2, 8]);
  const layers = [
    tf.layers.dropout({ rate: 0.5 }),
    tf.layers.gaussianNoise({ stddev: 1 }),
    tf.layers.gaussianDropout({ rate: 0.3 }),
    tf.layers.alphaDropout({ rate: 0.3 }),
  ];
  const out = layers.map((layer) => {
    const result = layer.apply(input, { training: true }) as tf.Tensor;
    const values = Array.from(result.dataSync());
    result.dispose();
    return values;
  });
  input.dispose();
  return out;
}

describe('tfjsSeedControl: what it makes reproducible', () => {
  it('makes every unseeded tf.random* op and tf.dropout repeat after the same seed', () => {
    const control = makeControl();
    control.seed(1234);
    const first = drawRandomOps();
    control.seed(1234);
    const again = drawRandomOps();
    control.seed(4321);
    const other = drawRandomOps();
    expect(again).toEqual(first);
    first.forEach((values, index) => {
      expect(other[index]).not.toEqual(values);
    });
  });

  it('reaches layer initializers and noise layers (the tf.layers code path)', () => {
    const control = makeControl();
    control.seed(99);
    const kernels = denseKernels();
    const noise = noiseLayersInTraining();
    control.seed(99);
    expect(denseKernels()).toEqual(kernels);
    expect(noiseLayersInTraining()).toEqual(noise);
    control.seed(100);
    expect(denseKernels()[0]).not.toEqual(kernels[0]);
  });

  it('gives each tensor and each step fresh draws (no correlated layers, no repeated mask)', () => {
    const control = makeControl();
    control.seed(5);
    const [kernelA, , kernelB] = denseKernels();
    expect(kernelA).toHaveLength(12);
    expect(kernelB).toHaveLength(16);
    // Two identical layer shapes in a row get different values.
    const twin = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [4], units: 4 }), tf.layers.dense({ units: 4 })],
    });
    const [first, , second] = twin.getWeights().map((weight) => Array.from(weight.dataSync()));
    expect(first).not.toEqual(second);
    twin.dispose();
    const [maskStep1] = noiseLayersInTraining();
    const [maskStep2] = noiseLayersInTraining();
    expect(maskStep1).not.toEqual(maskStep2);
  });

  it('keeps its own stream: user calls to Math.random do not change the weights', () => {
    const control = makeControl();
    control.seed(77);
    const quiet = [drawRandomOps(), denseKernels()];
    control.seed(77);
    Math.random();
    const a = drawRandomOps();
    Math.random();
    Math.random();
    expect([a, denseKernels()]).toEqual(quiet);
  });

  it('lets no tfjs path reach the global Math.random while active', async () => {
    const control = makeControl();
    control.seed(4);
    const saved = Math.random;
    let globalCalls = 0;
    Math.random = () => {
      globalCalls++;
      return 0.25;
    };
    try {
      drawRandomOps();
      denseKernels();
      noiseLayersInTraining();
      tf.tidy(() => tf.randomNormal([2], 0, 1, 'float32', 0)); // seed 0 reads as "no seed"
      const model = tf.sequential({
        layers: [tf.layers.dense({ inputShape: [2], units: 2 }), tf.layers.dropout({ rate: 0.5 })],
      });
      model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
      const xs = tf.ones([8, 2]);
      await model.fit(xs, xs, { epochs: 1, batchSize: 2, shuffle: true, verbose: 0 });
      model.dispose();
      xs.dispose();
    } finally {
      Math.random = saved;
    }
    expect(globalCalls).toBe(0);
  });

  it('treats an explicit seed 0 like no seed: drawn from the control stream', () => {
    const control = makeControl();
    control.seed(6);
    const first = Array.from(tf.randomNormal([4], 0, 1, 'float32', 0).dataSync());
    control.seed(6);
    expect(Array.from(tf.randomNormal([4], 0, 1, 'float32', 0).dataSync())).toEqual(first);
  });

  it('leaves Math.random as it found it around each op', () => {
    const control = makeControl();
    const before = Math.random;
    control.seed(3);
    tf.tidy(() => tf.randomNormal([2]).add(1));
    expect(Math.random).toBe(before);
  });

  it('keeps explicit op seeds as tfjs would use them', () => {
    const outside = Array.from(tf.randomUniform([4], 0, 1, 'float32', 42).dataSync());
    const control = makeControl();
    control.seed(8);
    expect(Array.from(tf.randomUniform([4], 0, 1, 'float32', 42).dataSync())).toEqual(outside);
  });

  it('makes tf.util.shuffle (model.fit batch order) repeat, from a stream apart from the ops', () => {
    const control = makeControl();
    const order = () => {
      const indices = Array.from({ length: 20 }, (_, index) => index);
      tf.util.shuffle(indices);
      return indices;
    };
    control.seed(11);
    const first = order();
    control.seed(11);
    tf.randomUniform([3]); // an op draw in between must not shift the shuffle stream
    expect(order()).toEqual(first);
    expect([...first].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    control.seed(12);
    expect(order()).not.toEqual(first);
  });

  it('gives unseeded tf.data shuffles a seed from the control and keeps explicit ones', async () => {
    const control = makeControl();
    const shuffled = (seed?: string) =>
      tf.data
        .array(Array.from({ length: 16 }, (_, index) => index))
        .shuffle(16, seed)
        .toArray();
    control.seed(21);
    const first = await shuffled();
    control.seed(21);
    expect(await shuffled()).toEqual(first);
    control.seed(22);
    expect(await shuffled()).not.toEqual(first);
    const explicit = await shuffled('fixed');
    control.release();
    expect(await shuffled('fixed')).toEqual(explicit);
  });

  it('decides every epoch of a tf.data shuffle from the snapshotted stream', async () => {
    const control = makeControl();
    control.seed(23);
    const numbers = Array.from({ length: 12 }, (_, index) => index);
    const dataset = tf.data.array(numbers).shuffle(12);
    const once = tf.data.array(numbers).shuffle(12, undefined, false);
    const saved = control.snapshot();
    const epoch1 = await dataset.toArray();
    const epoch2 = await dataset.toArray();
    expect(epoch2).not.toEqual(epoch1);
    expect([...epoch1].sort((a, b) => a - b)).toEqual(numbers);
    const fixed = await once.toArray();
    expect(await once.toArray()).toEqual(fixed);

    control.restore(saved);
    expect(await dataset.toArray()).toEqual(epoch1);
    // A dataset made after the restore continues the same stream (exact resume).
    expect(await tf.data.array(numbers).shuffle(12).toArray()).toEqual(epoch2);
  });

  it('trains to identical weights twice in one process (fit with shuffle and dropout)', async () => {
    const control = makeControl();
    const run = async () => {
      control.seed(31);
      const model = tf.sequential({
        layers: [
          tf.layers.dense({ inputShape: [4], units: 8, activation: 'relu' }),
          tf.layers.dropout({ rate: 0.5 }),
          tf.layers.dense({ units: 1 }),
        ],
      });
      model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
      const xs = tf.randomUniform([32, 4], 0, 1, 'float32', 1);
      const ys = tf.randomUniform([32, 1], 0, 1, 'float32', 2);
      await model.fit(xs, ys, { epochs: 2, batchSize: 4, shuffle: true, verbose: 0 });
      const weights = model.getWeights().map((weight) => Array.from(weight.dataSync()));
      model.dispose();
      tf.dispose([xs, ys]);
      return weights;
    };
    const first = await run();
    expect(await run()).toEqual(first);
  });
});

describe("tfjsSeedControl: explicitSeeds 'replace'", () => {
  it('gives layers sharing a seeded initializer their own weights, reproducibly', () => {
    const control = makeControl({ audit: 'error', explicitSeeds: 'replace' });
    const build = () => {
      const init = tf.initializers.glorotUniform({ seed: 7 });
      const model = tf.sequential({
        layers: [
          tf.layers.dense({ inputShape: [3], units: 3, kernelInitializer: init }),
          tf.layers.dense({ units: 3, kernelInitializer: init }),
        ],
      });
      const kernels = model.getWeights().map((weight) => Array.from(weight.dataSync()));
      model.dispose();
      return { kernels, seedKept: (init as unknown as { seed: unknown }).seed };
    };
    control.seed(70);
    const first = build();
    expect(first.kernels[0]).not.toEqual(first.kernels[2]);
    expect(first.seedKept).toBe(7);
    control.seed(70);
    expect(build().kernels).toEqual(first.kernels);
    expect(control.findings()).toEqual([]);
  });

  it('gives a seeded Dropout layer a new mask every step and keeps its config', () => {
    const control = makeControl({ audit: 'error', explicitSeeds: 'replace' });
    control.seed(71);
    const layer = tf.layers.dropout({ rate: 0.5, seed: 3 });
    const x = tf.ones([1, 32]);
    const step = () => Array.from((layer.apply(x, { training: true }) as tf.Tensor).dataSync());
    const first = step();
    expect(step()).not.toEqual(first);
    expect(layer.getConfig().seed).toBe(3);
    control.seed(71);
    expect(step()).toEqual(first);
    x.dispose();
  });

  it('rejects an unknown explicitSeeds option', () => {
    expect(() => tfjsSeedControl(tf, { explicitSeeds: 'derive' as never })).toThrow(
      expect.objectContaining({ code: 'TFJS_SEED_INVALID' }),
    );
  });
});

describe('tfjsSeedControl: snapshot and restore', () => {
  it('resumes every stream exactly, also through JSON', async () => {
    const control = makeControl();
    control.seed(2024);
    drawRandomOps();
    const saved = JSON.parse(JSON.stringify(control.snapshot()));
    const next = () => {
      const indices = [0, 1, 2, 3, 4, 5, 6, 7];
      tf.util.shuffle(indices);
      return { ops: drawRandomOps(), kernels: denseKernels(), indices };
    };
    const expected = next();
    const expectedData = await tf.data.array([1, 2, 3, 4, 5, 6]).shuffle(6).toArray();

    const fresh = makeControl();
    fresh.restore(saved);
    expect(next()).toEqual(expected);
    expect(await tf.data.array([1, 2, 3, 4, 5, 6]).shuffle(6).toArray()).toEqual(expectedData);
  });

  it('works inside seedEverything: the scope snapshot carries the tfjs state', () => {
    const scope = seedEverything(5150, { controls: [tfjsSeedControl(tf, { audit: 'off' })] });
    try {
      const saved = scope.snapshot();
      expect(saved.controls.tfjs).toMatchObject({ kind: 'reprokit/tfjs-seed', version: 1 });
      const first = drawRandomOps();
      scope.restore(saved);
      expect(drawRandomOps()).toEqual(first);
    } finally {
      scope.release();
    }
    expect(Object.hasOwn(tf.engine(), 'startScope')).toBe(false);
  });

  it('rejects states it did not make, naming the problem, and changes nothing', () => {
    const control = makeControl();
    control.seed(1);
    const good = control.snapshot() as Record<string, unknown>;
    const cases: [unknown, RegExp][] = [
      [null, /expected an object, got null/],
      [[1, 2], /got an array/],
      [{ ...good, kind: 'other' }, /"kind" is "other"/],
      [{ ...good, version: 2 }, /version 1/],
      [{ ...good, seed: 0 }, /"seed" is 0/],
      [{ ...good, streams: { ops: {}, shuffle: {} } }, /stream "ops"|stream "data" is missing/],
      [
        { ...good, streams: { ...(good.streams as object), shuffle: { algorithm: 'xor' } } },
        /stream "shuffle" holds a state/,
      ],
    ];
    const before = drawRandomOps;
    const expected = (() => {
      const probe = makeControl();
      probe.restore(good as never);
      const values = before();
      probe.release();
      return values;
    })();
    for (const [state, message] of cases) {
      let caught: unknown;
      try {
        control.restore(state as never);
      } catch (error) {
        caught = error;
      }
      expect(ReprokitError.isInstance(caught)).toBe(true);
      expect((caught as ReprokitError).code).toBe('TFJS_SEED_STATE_INVALID');
      expect((caught as Error).message).toMatch(message);
    }
    // The failed restores left the stream where it was.
    control.restore(good as never);
    expect(drawRandomOps()).toEqual(expected);
  });

  it('refuses to snapshot before it is seeded', () => {
    const control = makeControl();
    expect(() => control.snapshot()).toThrow(
      expect.objectContaining({ code: 'TFJS_SEED_NOT_SEEDED' }),
    );
  });
});

describe('tfjsSeedControl: seeds and release', () => {
  it('rejects seed 0 and anything that is not a uint32, before patching', () => {
    const control = makeControl();
    for (const bad of [0, -1, 1.5, 2 ** 32, Number.NaN, '7' as unknown as number]) {
      expect(() => control.seed(bad)).toThrow(
        expect.objectContaining({ code: 'TFJS_SEED_INVALID' }),
      );
    }
    expect(() => control.seed(0)).toThrow(/treats 0 as "no seed"/);
    expect(control.active).toBe(false);
    expect(Object.hasOwn(tf.engine(), 'startScope')).toBe(false);
  });

  it('puts every patched function back (identity) on release, and release twice is safe', () => {
    const engine = tf.engine() as unknown as Record<string, AnyFunction>;
    const engineProto = Object.getPrototypeOf(engine) as Record<string, AnyFunction>;
    const registry = tf.serialization.SerializationMap.getMap().classNameMap;
    const proto = (name: string) =>
      (registry[name]![0] as unknown as { prototype: Record<string, AnyFunction> }).prototype;
    const datasetProto = (
      tf.data as unknown as { Dataset: { prototype: Record<string, AnyFunction> } }
    ).Dataset.prototype;
    const originals = {
      startScope: engine.startScope,
      endScope: engine.endScope,
      shuffle: tf.util.shuffle,
      shuffleCombo: tf.util.shuffleCombo,
      datasetShuffle: datasetProto.shuffle,
      randomUniformApply: proto('RandomUniform').apply,
      varianceScalingApply: proto('VarianceScaling').apply,
      orthogonalApply: proto('Orthogonal').apply,
      dropoutCall: proto('Dropout').call,
      mathRandom: Math.random,
    };
    const control = makeControl({ audit: 'warn', onFinding: () => {} });
    control.seed(9);
    expect(control.active).toBe(true);
    expect(engine.startScope).not.toBe(originals.startScope);
    expect(tf.util.shuffle).not.toBe(originals.shuffle);
    expect(datasetProto.shuffle).not.toBe(originals.datasetShuffle);
    expect(proto('VarianceScaling').apply).not.toBe(originals.varianceScalingApply);
    expect(proto('Dropout').call).not.toBe(originals.dropoutCall);

    control.release();
    control.release();
    expect(control.active).toBe(false);
    expect(Object.hasOwn(engine, 'startScope')).toBe(false);
    expect(Object.hasOwn(engine, 'endScope')).toBe(false);
    expect(engine.startScope).toBe(engineProto.startScope);
    expect({
      startScope: engine.startScope,
      endScope: engine.endScope,
      shuffle: tf.util.shuffle,
      shuffleCombo: tf.util.shuffleCombo,
      datasetShuffle: datasetProto.shuffle,
      randomUniformApply: proto('RandomUniform').apply,
      varianceScalingApply: proto('VarianceScaling').apply,
      orthogonalApply: proto('Orthogonal').apply,
      dropoutCall: proto('Dropout').call,
      mathRandom: Math.random,
    }).toEqual(originals);
    expect(tf.util.shuffle).toBe(originals.shuffle);
    expect(() => control.snapshot()).toThrow(
      expect.objectContaining({ code: 'TFJS_SEED_NOT_SEEDED' }),
    );
  });

  it('serves the most recently seeded control and survives release in any order', () => {
    const engine = tf.engine();
    const older = makeControl();
    const younger = makeControl();
    older.seed(1);
    younger.seed(2);
    const fromYounger = Array.from(tf.randomUniform([3]).dataSync());
    younger.seed(2);
    older.release(); // not in LIFO order
    expect(Array.from(tf.randomUniform([3]).dataSync())).toEqual(fromYounger);
    expect(Object.hasOwn(engine, 'startScope')).toBe(true);
    younger.release();
    expect(Object.hasOwn(engine, 'startScope')).toBe(false);
    expect(Object.hasOwn(tf.util, 'shuffle')).toBe(true); // tfjs' own property, put back
  });

  it('stops reproducing after release (draws come from Math.random again)', () => {
    const control = makeControl();
    control.seed(13);
    const seeded = Array.from(tf.randomUniform([6]).dataSync());
    control.release();
    const saved = Math.random;
    let calls = 0;
    Math.random = () => {
      calls++;
      return 0.5;
    };
    try {
      const unseeded = Array.from(tf.randomUniform([6]).dataSync());
      expect(calls).toBe(1);
      expect(unseeded).not.toEqual(seeded);
    } finally {
      Math.random = saved;
    }
  });
});

describe('tfjsSeedControl: determinism audit', () => {
  function auditedControl(mode: 'warn' | 'error'): {
    control: TfjsSeedControl;
    seen: DeterminismFinding[];
  } {
    const seen: DeterminismFinding[] = [];
    const control = makeControl({ audit: mode, onFinding: (finding) => seen.push(finding) });
    control.seed(42);
    return { control, seen };
  }

  it('warns once when one explicit initializer seed makes several tensors', () => {
    const { control, seen } = auditedControl('warn');
    const init = tf.initializers.glorotUniform({ seed: 7 });
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [3], units: 3, kernelInitializer: init }),
        tf.layers.dense({ units: 3, kernelInitializer: init }),
        tf.layers.dense({ units: 3, kernelInitializer: init }),
      ],
    });
    // The pitfall is real: the same seed gives the same matrix twice.
    const [a, , b] = model.getWeights().map((weight) => Array.from(weight.dataSync()));
    expect(a).toEqual(b);
    model.dispose();
    expect(seen.map((finding) => finding.kind)).toEqual(['explicit-seed-reused']);
    expect(seen[0]!.message).toMatch(/seed 7 .*GlorotUniform/);
    expect(control.findings()).toHaveLength(1);
  });

  it('reports seed 0 given to an initializer (tfjs reads it as no seed)', () => {
    const { seen } = auditedControl('warn');
    tf.initializers.randomNormal({ seed: 0 }).apply([2, 2]).dispose();
    expect(seen).toEqual([
      expect.objectContaining({ kind: 'explicit-seed-zero', subject: 'RandomNormal' }),
    ]);
  });

  it('reports a Dropout layer with a fixed seed when it trains, not at inference', () => {
    const { seen } = auditedControl('warn');
    const layer = tf.layers.dropout({ rate: 0.5, seed: 3, name: 'fixed_dropout' });
    const x = tf.ones([1, 8]);
    (layer.apply(x) as tf.Tensor).dispose();
    expect(seen).toEqual([]);
    (layer.apply(x, { training: true }) as tf.Tensor).dispose();
    (layer.apply(x, { training: true }) as tf.Tensor).dispose();
    x.dispose();
    expect(seen).toEqual([
      expect.objectContaining({ kind: 'dropout-fixed-seed', subject: 'fixed_dropout' }),
    ]);
    expect(seen[0]!.message).toMatch(/same mask at every training step/);
  });

  it("throws TFJS_SEED_NONDETERMINISTIC where the problem is in 'error' mode", () => {
    auditedControl('error');
    const init = tf.initializers.heNormal({ seed: 5 });
    init.apply([2, 2]).dispose();
    let caught: unknown;
    try {
      init.apply([2, 2]);
    } catch (error) {
      caught = error;
    }
    expect(ReprokitError.isInstance(caught)).toBe(true);
    expect(caught).toMatchObject({ code: 'TFJS_SEED_NONDETERMINISTIC', origin: 'tfjs-seed' });
  });

  it("reports nothing in 'off' mode", () => {
    const control = makeControl({ audit: 'off' });
    control.seed(1);
    const init = tf.initializers.glorotNormal({ seed: 9 });
    init.apply([2, 2]).dispose();
    init.apply([2, 2]).dispose();
    expect(control.findings()).toEqual([]);
  });

  it('rejects an unknown audit mode', () => {
    expect(() => tfjsSeedControl(tf, { audit: 'loud' as never })).toThrow(
      expect.objectContaining({ code: 'TFJS_SEED_INVALID' }),
    );
  });
});
