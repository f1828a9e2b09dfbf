import { type Checkpoint, createCheckpoint, type WeightMapping } from '@reprokit/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tfjsCheckpoint } from '../../src/checkpoint/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function model(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: 3, inputShape: [2] }),
      tf.layers.batchNormalization(),
      tf.layers.dense({ units: 1, kernelConstraint: tf.constraints.maxNorm({ maxValue: 0.01 }) }),
    ],
  });
}

function f32(values: number[], shape: number[]) {
  return { dtype: 'F32' as const, shape, data: new Uint8Array(new Float32Array(values).buffer) };
}

async function values(m: tf.LayersModel): Promise<number[][]> {
  return Promise.all(m.getWeights().map(async (w) => Array.from(await w.data())));
}

describe('tfjsCheckpoint', () => {
  const adapter = tfjsCheckpoint(tf);

  it('reads every weight, BatchNorm moving statistics included, with its bytes', async () => {
    const m = model();
    const checkpoint = await adapter.read(m);
    expect([...checkpoint.tensors.keys()]).toEqual([
      'dense/kernel',
      'dense/bias',
      'batch_normalization/gamma',
      'batch_normalization/beta',
      'batch_normalization/moving_mean',
      'batch_normalization/moving_variance',
      'dense_1/kernel',
      'dense_1/bias',
    ]);
    const kernel = checkpoint.tensors.get('dense/kernel')!;
    expect([kernel.dtype, kernel.shape]).toEqual(['F32', [2, 3]]);
    const expected = await m.layers[0]!.getWeights()[0]!.data();
    expect(new Float32Array(kernel.data.slice().buffer)).toEqual(expected);
    expect(
      Array.from(
        new Float32Array(
          checkpoint.tensors.get('batch_normalization/moving_variance')!.data.slice().buffer,
        ),
      ),
    ).toEqual([1, 1, 1]);
  });

  it('assigns weights as they are, without re-applying layer constraints', async () => {
    const m = model();
    const checkpoint = await adapter.read(m);
    checkpoint.tensors.set('dense_1/kernel', f32([3, 4, 12], [3, 1]));
    await adapter.write(m, checkpoint);
    expect(Array.from(await m.layers[2]!.getWeights()[0]!.data())).toEqual([3, 4, 12]);
  });

  it('lists every problem in one error with did-you-mean names and leaves the model unchanged', async () => {
    const m = model();
    const before = await values(m);
    const checkpoint = await adapter.read(m);
    const bias = checkpoint.tensors.get('dense/bias')!;
    checkpoint.tensors.delete('dense/bias');
    checkpoint.tensors.set('dense/bais', bias);
    checkpoint.tensors.set('dense_1/kernel', f32([1, 2, 3], [1, 3]));
    const error = await adapter.write(m, checkpoint).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CHECKPOINT_MISMATCH' });
    const message = (error as Error).message;
    expect(message).toContain('missing "dense/bias" (did you mean "dense/bais"?)');
    expect(message).toContain('unexpected "dense/bais" (did you mean "dense/bias"?)');
    expect(message).toContain('"dense_1/kernel": model wants F32 [3,1], checkpoint has F32 [1,3]');
    expect(await values(m)).toEqual(before);
  });

  it('refuses F16 tensors for float32 variables by default and converts them exactly with cast', async () => {
    const m = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [1] })] });
    // 1, -2, 0.5, 65504 (largest half), and a subnormal half 2^-24.
    const half = new Uint16Array([0x3c00, 0xc000, 0x3800, 0x7bff]);
    const checkpoint: Checkpoint = createCheckpoint([
      ['dense/kernel', { dtype: 'F16', shape: [1, 2], data: new Uint8Array(half.buffer, 0, 4) }],
      ['dense/bias', { dtype: 'F16', shape: [2], data: new Uint8Array(half.buffer, 4, 4) }],
    ]);
    await expect(adapter.write(m, checkpoint)).rejects.toThrow(
      '"dense/kernel": model wants F32 [1,2], checkpoint has F16 [1,2]',
    );
    const report = await adapter.write(m, checkpoint, { cast: true });
    expect(report.mapping.map((step) => step.transform)).toEqual([
      'cast F16->F32',
      'cast F16->F32',
    ]);
    expect(await values(m)).toEqual([
      [1, -2],
      [0.5, 65504],
    ]);
  });

  it('rejects a tensor whose bytes do not fit its shape, before changing anything', async () => {
    const m = model();
    const before = await values(m);
    const checkpoint = await adapter.read(m);
    const kernel = checkpoint.tensors.get('dense/kernel')!;
    checkpoint.tensors.set('dense/kernel', { ...kernel, data: kernel.data.subarray(0, 20) });
    await expect(adapter.write(m, checkpoint)).rejects.toMatchObject({
      code: 'TFJS_TENSOR_BYTE_LENGTH',
      tensor: 'dense/kernel',
    });
    expect(await values(m)).toEqual(before);
  });

  it('applies a mapping first and puts its steps in the report', async () => {
    const m = tf.sequential({
      layers: [tf.layers.dense({ units: 2, inputShape: [1], name: 'fc' })],
    });
    const mapping: WeightMapping = {
      name: 'rename',
      map: (checkpoint) => ({
        checkpoint: createCheckpoint(
          [...checkpoint.tensors].map(([name, tensor]) => [name.replace('linear.', 'fc/'), tensor]),
        ),
        steps: [...checkpoint.tensors.keys()].map((name) => ({
          from: [name],
          to: name.replace('linear.', 'fc/'),
          transform: 'rename',
        })),
      }),
    };
    const report = await adapter.write(
      m,
      createCheckpoint([
        ['linear.kernel', f32([5, 6], [1, 2])],
        ['linear.bias', f32([7, 8], [2])],
      ]),
      { mapping },
    );
    expect(report.loaded).toEqual(['fc/kernel', 'fc/bias']);
    expect(report.mapping.map((step) => `${step.from[0]}->${step.to}`)).toEqual([
      'linear.kernel->fc/kernel',
      'linear.bias->fc/bias',
    ]);
    expect(await values(m)).toEqual([
      [5, 6],
      [7, 8],
    ]);
  });
});
