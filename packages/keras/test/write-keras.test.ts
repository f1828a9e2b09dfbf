import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Checkpoint, createCheckpoint, fromTypedArray } from '@reprokit/core';
import { tfjsCheckpoint } from '@reprokit/tfjs';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  encodeKeras,
  KERAS_METADATA_KEYS,
  type KerasWriteFormat,
  readKeras,
} from '../src/index.js';
import { fixtureBytes, numbers } from './helpers/fixtures.js';
import { type Keras2Spec, type Keras3Saveable, kerasSpecs } from './helpers/keras-spec.js';
import { h5pyMissing, runPython } from './helpers/python.js';
import { TFJS_MODELS } from './tfjs-models.js';

const missing = h5pyMissing();
const work = mkdtempSync(join(tmpdir(), 'reprokit-keras-write-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type LoadResult =
  | { ok: true; weights: Array<[string, number[], number[]]> }
  | { ok: false; error: string };

/** Loads `bytes` with keras_load_check.py into the model `spec` describes. */
function kerasLoad(
  mode: 'keras2' | 'keras3',
  bytes: Uint8Array,
  spec: Keras2Spec | Keras3Saveable,
  name: string,
) {
  const file = join(work, name);
  writeFileSync(file, bytes);
  writeFileSync(`${file}.json`, JSON.stringify(spec));
  return runPython<LoadResult>('keras_load_check.py', [mode, file, `${file}.json`]);
}

/** A tfjs model with distinct, seeded weights (biases and moving statistics included). */
function seeded(model: tf.LayersModel, seed: number): tf.LayersModel {
  model.setWeights(
    model.weights.map((weight, index) =>
      tf.tidy(() => {
        const shape = weight.shape as number[];
        const count = shape.reduce((a, b) => a * b, 1);
        const values = Float32Array.from(
          { length: count },
          (_, i) => ((i * 37 + (seed + index) * 11) % 101) / 16 + 0.5,
        );
        return tf.tensor(values, shape);
      }),
    ),
  );
  return model;
}

function valuesByName(checkpoint: Checkpoint): Map<string, number[]> {
  return new Map([...checkpoint.tensors].map(([name, tensor]) => [name, numbers(tensor)]));
}

describe.each([
  ['cnnWithHead', {}],
  ['recurrent', { head: 'Sequential' }],
  ['recurrentKeras3', {}],
  ['bidirectionalGru', {}],
  ['nestedFunctional', {}],
] as const)('tfjs model %s written as Keras weights', (modelName, layerClasses) => {
  const formats: Array<[KerasWriteFormat, 'keras2' | 'keras3']> = [
    ['keras2-h5', 'keras2'],
    ['keras3-weights-h5', 'keras3'],
  ];

  it.each(formats)('%s: readKeras gives back the same names and numbers', async (format) => {
    const model = seeded(TFJS_MODELS[modelName]!(), 3);
    const checkpoint = await tfjsCheckpoint(tf).read(model);
    const bytes = await encodeKeras(checkpoint, { format, layerClasses });
    const back = await readKeras(bytes);
    expect(valuesByName(back)).toEqual(valuesByName(checkpoint));
    expect(back.metadata.get(KERAS_METADATA_KEYS.format)).toBe(format);
    // And it loads into a fresh model with the same weights.
    const other = TFJS_MODELS[modelName]!();
    await tfjsCheckpoint(tf).write(other, back);
    expect(valuesByName(await tfjsCheckpoint(tf).read(other))).toEqual(valuesByName(checkpoint));
    model.dispose();
    other.dispose();
  });

  it.skipIf(missing !== undefined).each(formats)(
    `%s: Keras' loader checks pass and every weight lands where Keras puts it (h5py, ${missing ?? 'python3 + h5py'})`,
    async (format, mode) => {
      const model = seeded(TFJS_MODELS[modelName]!(), 5);
      const checkpoint = await tfjsCheckpoint(tf).read(model);
      const bytes = await encodeKeras(checkpoint, { format, layerClasses });
      const specs = kerasSpecs(model);
      const spec = mode === 'keras2' ? specs.keras2 : specs.keras3;
      const { status, output } = kerasLoad(mode, bytes, spec, `${modelName}-${format}.h5`);
      expect(output).toMatchObject({ ok: true });
      expect(status).toBe(0);
      if (!output.ok) return;
      const values = valuesByName(checkpoint);
      if (mode === 'keras2') {
        // Keras assigns each layer's weights in _legacy_weights order: trainable first.
        const expected = specs.keras2.layers.flatMap((layer) => [
          ...layer.weights.filter((w) => w.trainable),
          ...layer.weights.filter((w) => !w.trainable),
        ]);
        expect(output.weights.map(([, , flat]) => flat)).toEqual(
          expected.map((w) => values.get(w.name)),
        );
      } else {
        for (const [path, , flat] of output.weights) {
          expect(flat, path).toEqual(values.get(specs.variablePaths.get(path)!));
        }
        expect(output.weights.length).toBe(checkpoint.tensors.size);
      }
      model.dispose();
    },
    120_000,
  );
});

describe('encodeKeras', () => {
  it.skipIf(missing !== undefined)(
    `converts a tf.keras model .h5 to Keras 3 .weights.h5 that Keras 3 loads (${missing ?? 'h5py'})`,
    async () => {
      const checkpoint = await readKeras(fixtureBytes('tf-keras-2.15-model.h5'));
      const bytes = await encodeKeras(checkpoint, { format: 'keras3-weights-h5' });
      const model = TFJS_MODELS.recurrent!();
      const { output } = kerasLoad(
        'keras3',
        bytes,
        kerasSpecs(model).keras3,
        'converted.weights.h5',
      );
      expect(output).toMatchObject({ ok: true });
      model.dispose();
    },
    120_000,
  );

  it.skipIf(missing !== undefined)(
    `splits name lists past 64512 bytes into layer_names0..N as Keras does, and Keras' loader joins them (${missing ?? 'h5py'})`,
    async () => {
      const long = (index: number) => `layer_${index}_${'x'.repeat(3000)}`;
      const tensors = Array.from(
        { length: 30 },
        (_, index) => [`${long(index)}/kernel`, fromTypedArray('F32', [1], [index])] as const,
      );
      const bytes = await encodeKeras(createCheckpoint(tensors), { format: 'keras2-h5' });
      const spec: Keras2Spec = {
        layers: tensors.map(([name]) => ({
          name: name.split('/')[0]!,
          weights: [{ shape: [1], trainable: true, name }],
        })),
        top_level: [],
      };
      const { output } = kerasLoad('keras2', bytes, spec, 'split.h5');
      expect(output).toMatchObject({ ok: true });
      if (output.ok)
        expect(output.weights.map(([, , flat]) => flat[0])).toEqual(
          tensors.map((_, index) => index),
        );
      const back = await readKeras(bytes);
      expect([...back.tensors.keys()]).toEqual(tensors.map(([name]) => name));
    },
  );

  it('writes a .keras archive that keeps the config, and reads back the same', async () => {
    const original = await readKeras(fixtureBytes('keras-3.6-cnn.keras'));
    const bytes = await encodeKeras(original, { format: 'keras-zip' });
    const back = await readKeras(bytes);
    expect(valuesByName(back)).toEqual(valuesByName(original));
    expect(back.metadata.get(KERAS_METADATA_KEYS.modelConfig)).toBe(
      original.metadata.get(KERAS_METADATA_KEYS.modelConfig),
    );
    expect(back.metadata.get(KERAS_METADATA_KEYS.format)).toBe('keras-zip');
  });

  it("writes a layer's variables in Keras' order whatever order the checkpoint lists them in", async () => {
    // safetensors lists `dense/bias` before `dense/kernel` (name order); Keras 3 saves kernel
    // as vars/0 and bias as vars/1, and reads them back by that index.
    const checkpoint = createCheckpoint([
      ['dense/bias', fromTypedArray('F32', [2], [0.5, -0.5])],
      ['dense/kernel', fromTypedArray('F32', [3, 2], [1, 2, 3, 4, 5, 6])],
    ]);
    const back = await readKeras(await encodeKeras(checkpoint, { format: 'keras3-weights-h5' }));
    expect(back.tensors.get('dense/kernel')?.shape).toEqual([3, 2]);
    expect(numbers(back.tensors.get('dense/kernel')!)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(numbers(back.tensors.get('dense/bias')!)).toEqual([0.5, -0.5]);
  });

  it('stores float16 and bfloat16 tensors as float32, exactly', async () => {
    const checkpoint = await readKeras(fixtureBytes('keras-3.6-cnn.weights.h5'));
    expect(checkpoint.tensors.get('head/kernel')?.dtype).toBe('BF16');
    const back = await readKeras(await encodeKeras(checkpoint, { format: 'keras3-weights-h5' }));
    expect(back.tensors.get('head/kernel')?.dtype).toBe('F32');
    expect(numbers(back.tensors.get('head/kernel')!)).toEqual(
      numbers(checkpoint.tensors.get('head/kernel')!),
    );
  });

  it('refuses optimizer state unless told to skip it, a bad tensor, and an unknown layer class, naming them', async () => {
    const withOptimizer = await readKeras(fixtureBytes('tf-keras-2.15-model.h5'), {
      optimizer: true,
    });
    await expect(encodeKeras(withOptimizer, { format: 'keras2-h5' })).rejects.toMatchObject({
      code: 'KERAS_INVALID_CHECKPOINT',
      tensor: 'optimizer/Adam/iter',
    });
    const skipped = await readKeras(
      await encodeKeras(withOptimizer, { format: 'keras2-h5', optimizer: 'skip' }),
    );
    expect([...skipped.tensors.keys()].some((name) => name.startsWith('optimizer/'))).toBe(false);
    const bad = createCheckpoint([
      ['dense/kernel', { dtype: 'F32', shape: [2, 2], data: new Uint8Array(12) }],
    ]);
    await expect(encodeKeras(bad, { format: 'keras2-h5' })).rejects.toMatchObject({
      code: 'KERAS_INVALID_CHECKPOINT',
      tensor: 'dense/kernel',
    });
    const conv = createCheckpoint([
      ['features/kernel', fromTypedArray('F32', [3, 3, 1, 2], new Float32Array(18))],
    ]);
    await expect(encodeKeras(conv, { format: 'keras3-weights-h5' })).rejects.toMatchObject({
      code: 'KERAS_UNKNOWN_LAYER_CLASS',
      layer: 'features',
    });
    const named = await readKeras(
      await encodeKeras(conv, {
        format: 'keras3-weights-h5',
        layerClasses: { features: 'Conv2D' },
      }),
    );
    // The group is named by class, the layer keeps its name (the vars group's name attribute).
    expect(JSON.parse(named.metadata.get(KERAS_METADATA_KEYS.paths)!)).toEqual({
      'features/kernel': '/layers/conv2d/vars/0',
    });
  });
});
