/**
 * `tfjsSeedControl(tf, { initializers: 'keras' })`: tfjs layers built under `seedEverything(n)`
 * get Keras 2's weights for `tf.random.set_seed(n)`. TensorFlow cannot run here; the reference
 * is the issue's worked Dense kernel (float32 bits derived from TF's source) and core's
 * `kerasInitialize`, whose TF op path is checked against TF's own docstring values in core.
 */
import { currentSeedScope, ReprokitError, restoreSeeds, seedEverything } from '@reprokit/core';
import { kerasInitialize, tensorflowRandom } from '@reprokit/core/python';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tfjsSeedControl } from '../../src/seed/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterEach(() => currentSeedScope()?.release());

const keras = (python: 2 | 3 = 3) =>
  tfjsSeedControl(tf, { initializers: 'keras', python, audit: 'off' });

const bits = (values: ArrayLike<number>) => {
  const view = new DataView(new ArrayBuffer(4));
  return Array.from(values, (value) => {
    view.setFloat32(0, value);
    return view.getUint32(0).toString(16).padStart(8, '0');
  });
};

function weightsOf(model: tf.LayersModel): Float32Array[] {
  return model.getWeights().map((weight) => weight.dataSync() as Float32Array);
}

describe("tfjsSeedControl(tf, { initializers: 'keras' })", () => {
  it("gives the issue's Dense(4, input_dim=3) kernel for seedEverything(7), bit for bit", () => {
    seedEverything(7, { controls: [keras(3)] });
    const model = tf.sequential({
      layers: [tf.layers.dense({ units: 4, inputShape: [3], kernelInitializer: 'glorotUniform' })],
    });
    const [kernel, bias] = weightsOf(model);
    expect(bits(kernel!)).toEqual(
      '3f1e89ac befcc771 3f33f66a bf56e5b5 3f0fdd10 3f51857e bcda5b20 3f59e252 3e96904c bf379788 be04dedc 3e44f700'.split(
        ' ',
      ),
    );
    expect(Array.from(bias!)).toEqual([0, 0, 0, 0]);
    model.dispose();
  });

  it('builds a model layer by layer in Keras order: every weight equals kerasInitialize on set_seed(root)', () => {
    for (const python of [3, 2] as const) {
      seedEverything(1234, { controls: [keras(python)] });
      const model = tf.sequential({
        layers: [
          tf.layers.conv2d({
            inputShape: [8, 8, 3],
            filters: 4,
            kernelSize: 3,
            kernelInitializer: 'heNormal',
          }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 6, kernelInitializer: 'glorotNormal' }),
          tf.layers.dense({
            units: 2,
            kernelInitializer: tf.initializers.randomUniform({ minval: -0.1, maxval: 0.1 }),
            biasInitializer: 'randomNormal',
          }),
          tf.layers.dense({ units: 3, kernelInitializer: 'leCunUniform', useBias: false }),
        ],
      });
      currentSeedScope()?.release();

      const tfr = tensorflowRandom({ seed: 1234, python });
      const expected = [
        kerasInitialize(tfr, 'he_normal', [3, 3, 3, 4]),
        kerasInitialize(tfr, 'zeros', [4]),
        kerasInitialize(tfr, 'glorot_normal', [144, 6]),
        kerasInitialize(tfr, 'zeros', [6]),
        kerasInitialize(
          tfr,
          { className: 'RandomUniform', config: { minval: -0.1, maxval: 0.1 } },
          [6, 2],
        ),
        kerasInitialize(tfr, { className: 'RandomNormal', config: { mean: 0, stddev: 0.05 } }, [2]),
        kerasInitialize(tfr, 'lecun_uniform', [2, 3]),
      ];
      const actual = weightsOf(model);
      expect(actual.length).toBe(expected.length);
      actual.forEach((weight, index) => {
        expect(bits(weight), `python ${python}, weight ${index}`).toEqual(bits(expected[index]!));
      });
      model.dispose();
    }
  });

  it('a snapshot restored in a new scope continues the op-seed stream (the next layer matches)', () => {
    const scope = seedEverything(99, { controls: [keras()] });
    const first = tf.layers.dense({
      units: 3,
      inputShape: [5],
      kernelInitializer: 'glorotUniform',
    });
    first.build([null, 5]);
    const saved = JSON.parse(JSON.stringify(scope.snapshot()));
    const second = tf.layers.dense({ units: 2, kernelInitializer: 'heUniform' });
    second.build([null, 3]);
    const expected = second.getWeights()[0]!.dataSync();
    scope.release();

    restoreSeeds(saved, { controls: [keras()] });
    const again = tf.layers.dense({ units: 2, kernelInitializer: 'heUniform' });
    again.build([null, 3]);
    expect(bits(again.getWeights()[0]!.dataSync())).toEqual(bits(expected));
  });

  it('Orthogonal uses Keras’ normal matrix and keeps the stream in step; seeded initializers keep tfjs’ values and draw no op seed', () => {
    seedEverything(5, { controls: [keras()] });
    const orthogonal = tf.layers.dense({
      units: 4,
      inputShape: [4],
      kernelInitializer: 'orthogonal',
    });
    orthogonal.build([null, 4]);
    const seeded = tf.layers.dense({
      units: 2,
      kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
    });
    seeded.build([null, 4]);
    const after = tf.layers.dense({ units: 2, kernelInitializer: 'glorotUniform' });
    after.build([null, 2]);
    currentSeedScope()?.release();

    const tfr = tensorflowRandom({ seed: 5 });
    tfr.normal([4, 4]); // Orthogonal's draw
    const q = orthogonal.getWeights()[0]!;
    const identity = tf.matMul(q, q, true, false).dataSync();
    identity.forEach((value, i) => {
      expect(Math.abs(value - (i % 5 === 0 ? 1 : 0))).toBeLessThan(1e-5);
    });
    const tfjsSeeded = tf.initializers.glorotUniform({ seed: 3 }).apply([4, 2]).dataSync();
    expect(bits(seeded.getWeights()[0]!.dataSync())).toEqual(bits(tfjsSeeded));
    expect(bits(after.getWeights()[0]!.dataSync())).toEqual(
      bits(kerasInitialize(tfr, 'glorot_uniform', [2, 2])),
    );
  });

  it('without the option tfjs initializers are unchanged, and a string root is refused in Keras mode', () => {
    seedEverything(7, { controls: [tfjsSeedControl(tf, { audit: 'off' })] });
    const plain = tf.layers.dense({
      units: 4,
      inputShape: [3],
      kernelInitializer: 'glorotUniform',
    });
    plain.build([null, 3]);
    expect(bits(plain.getWeights()[0]!.dataSync())[0]).not.toBe('3f1e89ac');
    currentSeedScope()?.release();

    let error: unknown;
    try {
      seedEverything('run-a', { controls: [keras()] });
    } catch (caught) {
      error = caught;
    }
    expect(ReprokitError.isInstance(error)).toBe(true);
    expect(() => tfjsSeedControl(tf, { initializers: 'torch' as 'keras' })).toThrow(ReprokitError);
  });
});
