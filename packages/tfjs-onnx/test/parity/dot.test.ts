import { beforeAll, describe, expect, it } from 'vitest';
import { exportToOnnx, OnnxExportError } from '../../src/index.js';
import {
  expectParity,
  loadBackends,
  type ParityInput,
  setSeededWeights,
  tf,
} from './parity-harness.js';

beforeAll(async () => {
  expect(await loadBackends()).toBe(true);
});

type Axes = number | [number, number];

/** A model of two inputs (shapes without batch) joined by one Dot layer. */
function dotModel(xShape: number[], yShape: number[], axes: Axes, normalize = false) {
  const x = tf.input({ shape: xShape });
  const y = tf.input({ shape: yShape });
  const output = tf.layers.dot({ axes, normalize }).apply([x, y]) as tf.SymbolicTensor;
  const model = tf.model({ inputs: [x, y], outputs: output });
  const specs: ParityInput[] = [{ shape: [3, ...xShape] }, { shape: [3, ...yShape] }];
  return { model, specs, outputShape: output.shape };
}

// [title, x shape, y shape, axes, normalize, output shape tfjs declares]
const cases: [string, number[], number[], Axes, boolean, (number | null)[]][] = [
  ['rank 2 . rank 2, axes 1', [4], [4], 1, false, [null, 1]],
  ['rank 2 . rank 2, axes -1', [4], [4], -1, false, [null, 1]],
  ['rank 2 . rank 2, axes [1, 1], normalize (cosine)', [4], [4], [1, 1], true, [null, 1]],
  ['rank 3 . rank 3, axes 2', [3, 4], [5, 4], 2, false, [null, 3, 5]],
  ['rank 3 . rank 3, axes -1, normalize', [3, 4], [5, 4], -1, true, [null, 3, 5]],
  ['rank 3 . rank 3, axes 1', [4, 3], [4, 5], 1, false, [null, 3, 5]],
  ['rank 3 . rank 3, axes [2, 1]', [3, 4], [4, 5], [2, 1], false, [null, 3, 5]],
  ['rank 3 . rank 3, axes [1, 2]', [4, 3], [5, 4], [1, 2], false, [null, 3, 5]],
  ['rank 3 . rank 3, axes [-1, -2], normalize', [3, 4], [4, 5], [-1, -2], true, [null, 3, 5]],
  ['rank 3 . rank 2, axes [2, 1]', [3, 4], [4], [2, 1], false, [null, 3]],
  ['rank 3 . rank 2, axes [1, 1], normalize', [4, 3], [4], [1, 1], true, [null, 3]],
  ['rank 3 . rank 2, axes -1', [3, 4], [4], -1, false, [null, 3]],
  ['rank 2 . rank 3, axes [1, 1]', [4], [4, 5], [1, 1], false, [null, 5]],
  ['rank 2 . rank 3, axes [1, 2], normalize', [4], [5, 4], [1, 2], true, [null, 5]],
  ['rank 2 . rank 3, axes -1', [4], [5, 4], -1, false, [null, 5]],
];

describe('Dot: ORT matches tfjs (cpu, wasm) within 1e-5', () => {
  it.each(cases)('%s', async (_title, xShape, yShape, axes, normalize, outputShape) => {
    const { model, specs, outputShape: declared } = dotModel(xShape, yShape, axes, normalize);
    // The case is the one meant: tfjs declares this output shape for it.
    expect(declared).toEqual(outputShape);
    await expectParity(model, specs);
  });

  it('between Dense layers (shared weights file), and a Dense after it', async () => {
    const a = tf.input({ shape: [6] });
    const b = tf.input({ shape: [5] });
    const ha = tf.layers.dense({ units: 4, activation: 'tanh' }).apply(a) as tf.SymbolicTensor;
    const hb = tf.layers.dense({ units: 4 }).apply(b) as tf.SymbolicTensor;
    const similarity = tf.layers.dot({ axes: 1, normalize: true }).apply([ha, hb]);
    const out = tf.layers.dense({ units: 2 }).apply(similarity as tf.SymbolicTensor);
    const model = tf.model({ inputs: [a, b], outputs: out as tf.SymbolicTensor });
    setSeededWeights(model, 12);
    await expectParity(model, [{ shape: [3, 6] }, { shape: [3, 5] }]);
  });

  it('normalize with vectors shorter than sqrt(epsilon): tfjs divides by sqrt(1e-7)', async () => {
    const a = tf.input({ shape: [3] });
    const b = tf.input({ shape: [3] });
    const ha = tf.layers.dense({ units: 4, useBias: false }).apply(a) as tf.SymbolicTensor;
    const hb = tf.layers.dense({ units: 4, useBias: false }).apply(b) as tf.SymbolicTensor;
    const out = tf.layers.dot({ axes: -1, normalize: true }).apply([ha, hb]);
    const model = tf.model({ inputs: [a, b], outputs: out as tf.SymbolicTensor });
    // Weights of 1e-5 make every |h|^2 about 1e-10, far below the epsilon: the outputs are
    // about 1e-3 instead of a cosine near +-1, so a missing or wrong epsilon is caught.
    setSeededWeights(model, 2, 1e-5);
    const x = [tf.ones([2, 3]), tf.ones([2, 3])];
    const values = (model.predict(x) as tf.Tensor).dataSync();
    expect(Math.max(...Array.from(values, Math.abs))).toBeLessThan(1e-2);
    expect(Math.max(...Array.from(values, Math.abs))).toBeGreaterThan(0);
    for (const t of x) t.dispose();
    await expectParity(model, [{ shape: [3, 3] }, { shape: [3, 3] }]);
  });

  it('the same tensor on both sides (a Gram matrix)', async () => {
    const x = tf.input({ shape: [3, 4] });
    const gram = tf.layers.dot({ axes: 2 }).apply([x, x]) as tf.SymbolicTensor;
    const model = tf.model({ inputs: x, outputs: gram });
    await expectParity(model, [{ shape: [2, 3, 4] }]);
  });
});

describe('Dot options the export refuses', () => {
  it.each([
    ['axes 0 (the batch axis)', 0],
    ['axes [0, 0]', [0, 0] as [number, number]],
    ['axes -2 on rank 2 (the batch axis)', -2],
  ])('%s', async (_title, axes) => {
    const { model } = dotModel([4], [4], axes);
    const error = await exportToOnnx(model, { weights: 'embedded' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OnnxExportError);
    expect((error as OnnxExportError).code).toBe('ONNX_EXPORT_UNSUPPORTED_OPTION');
    expect((error as OnnxExportError).className).toBe('Dot');
    expect((error as OnnxExportError).message).toContain('batch');
  });
});
