import { bytesSource } from '@reprokit/core';
import h5wasm, { type Group } from 'h5wasm';
import { describe, expect, it } from 'vitest';
import { inspectKeras, KERAS_METADATA_KEYS, readKeras } from '../src/index.js';
import {
  EXPECTED,
  expectedValues,
  FIXTURE_NAMES,
  fixtureBytes,
  numbers,
} from './helpers/fixtures.js';

describe('readKeras on files written the way Keras writes them (test/fixtures, make_fixtures.py)', () => {
  it.each(FIXTURE_NAMES)(
    '%s: every weight, under its structural name, with its exact values',
    async (name) => {
      const expected = EXPECTED[name]!;
      const checkpoint = await readKeras(fixtureBytes(name), { name });
      const weights = expected.tensors.filter((tensor) => tensor.role !== 'optimizer');
      expect(new Set(checkpoint.tensors.keys())).toEqual(
        new Set(weights.map((tensor) => tensor.name)),
      );
      const paths = JSON.parse(checkpoint.metadata.get(KERAS_METADATA_KEYS.paths)!) as Record<
        string,
        unknown
      >;
      for (const tensor of weights) {
        const read = checkpoint.tensors.get(tensor.name)!;
        expect({ name: tensor.name, dtype: read.dtype, shape: read.shape }).toEqual({
          name: tensor.name,
          dtype: tensor.dtype,
          shape: tensor.shape,
        });
        expect(numbers(read), tensor.name).toEqual(expectedValues(tensor));
        expect(paths[tensor.name]).toEqual(tensor.parts?.map((part) => part.path) ?? tensor.path);
      }
      expect(checkpoint.metadata.get(KERAS_METADATA_KEYS.format)).toBe(expected.format);
    },
  );

  it.each(
    FIXTURE_NAMES.filter((name) => EXPECTED[name]!.tensors.some((t) => t.role === 'optimizer')),
  )('%s: optimizer state with { optimizer: true }', async (name) => {
    const checkpoint = await readKeras(fixtureBytes(name), { optimizer: true });
    for (const tensor of EXPECTED[name]!.tensors.filter((t) => t.role === 'optimizer')) {
      const read = checkpoint.tensors.get(tensor.name);
      expect(read?.dtype, tensor.name).toBe(tensor.dtype);
      expect(numbers(read!)).toEqual(expectedValues(tensor));
    }
  });

  it('keeps the layers in Keras order, with their names in the file and their classes', async () => {
    const checkpoint = await readKeras(fixtureBytes('tf-keras-2.15-model.h5'));
    const layers = JSON.parse(checkpoint.metadata.get(KERAS_METADATA_KEYS.layers)!) as Array<{
      name: string;
      kerasName: string;
      className?: string;
      tensors: string[];
    }>;
    expect(layers.map((layer) => [layer.name, layer.kerasName, layer.className])).toEqual([
      ['embedding', 'embedding', 'Embedding'],
      ['lstm', 'lstm', 'LSTM'],
      ['bidirectional', 'bidirectional', 'Bidirectional'],
      ['time_distributed', 'time_distributed', 'TimeDistributed'],
      ['gru', 'gru', 'GRU'],
      ['head', 'head', 'Sequential'],
      ['dense', 'dense_2', 'Dense'],
    ]);
    // A nested model lists its trainable weights first, as Keras saved them.
    expect(layers[5]!.tensors).toEqual([
      'head/dense/kernel',
      'head/dense/bias',
      'head/batch_normalization/gamma',
      'head/batch_normalization/beta',
      'head/batch_normalization/moving_mean',
      'head/batch_normalization/moving_variance',
    ]);
    expect(checkpoint.metadata.get(KERAS_METADATA_KEYS.kerasVersion)).toBe('2.15.0');
    expect(checkpoint.metadata.get(KERAS_METADATA_KEYS.backend)).toBe('tensorflow');
    expect(JSON.parse(checkpoint.metadata.get(KERAS_METADATA_KEYS.modelConfig)!).class_name).toBe(
      'Functional',
    );
    expect(JSON.parse(checkpoint.metadata.get(KERAS_METADATA_KEYS.trainingConfig)!).loss).toBe(
      'mse',
    );
    const skipped = JSON.parse(checkpoint.metadata.get(KERAS_METADATA_KEYS.skipped)!) as Array<{
      path: string;
    }>;
    expect(skipped.map((entry) => entry.path)).toEqual([
      '/optimizer_weights/Adam/iter:0',
      '/optimizer_weights/Adam/embedding/embeddings/m:0',
    ]);
  });

  it('reads a Keras 1 file (no keras_version) and joins per-gate LSTM and GRU arrays in Keras 2 gate order', async () => {
    const checkpoint = await readKeras(fixtureBytes('keras-1.2-recurrent.h5'));
    expect(checkpoint.metadata.get(KERAS_METADATA_KEYS.kerasVersion)).toBe('1');
    const paths = JSON.parse(checkpoint.metadata.get(KERAS_METADATA_KEYS.paths)!) as Record<
      string,
      string[]
    >;
    expect(paths['lstm/kernel']).toEqual([
      '/lstm_1/lstm_1_W_i',
      '/lstm_1/lstm_1_W_f',
      '/lstm_1/lstm_1_W_c',
      '/lstm_1/lstm_1_W_o',
    ]);
    expect(paths['gru/bias']).toEqual(['/gru_1/gru_1_b_z', '/gru_1/gru_1_b_r', '/gru_1/gru_1_b_h']);
  });

  it('with { naming: "h5" } keeps every dataset under its own path, nothing joined or renamed', async () => {
    const checkpoint = await readKeras(fixtureBytes('keras-1.2-recurrent.h5'), { naming: 'h5' });
    expect(checkpoint.tensors.size).toBe(1 + 12 + 9 + 2);
    expect(checkpoint.tensors.get('lstm_1/lstm_1_W_c')?.shape).toEqual([3, 2]);
    const keras3 = await readKeras(fixtureBytes('keras-3.6-rnn.weights.h5'), { naming: 'h5' });
    expect([...keras3.tensors.keys()]).toContain('layers/bidirectional/backward_layer/cell/vars/2');
  });

  it('reads .keras archives from a ByteSource, stored and deflated alike', async () => {
    const stored = await readKeras(bytesSource(fixtureBytes('keras-3.6-cnn.keras'), 'cnn.keras'));
    const deflated = await readKeras(
      bytesSource(fixtureBytes('keras-3.6-cnn-deflate.keras'), 'cnn.keras'),
    );
    expect([...deflated.tensors.keys()]).toEqual([...stored.tensors.keys()]);
    expect(stored.metadata.get(KERAS_METADATA_KEYS.kerasVersion)).toBe('3.6.0');
    expect(JSON.parse(stored.metadata.get(KERAS_METADATA_KEYS.archiveMetadata)!).date_saved).toBe(
      '2024-10-01@12:00:00',
    );
    // config.json gives the model order and the user's layer name.
    const layers = JSON.parse(stored.metadata.get(KERAS_METADATA_KEYS.layers)!) as Array<{
      name: string;
    }>;
    expect(layers.map((layer) => layer.name)).toEqual([
      'conv2d',
      'batch_normalization',
      'dense',
      'head',
    ]);
  });

  it('inspectKeras lists format, layers and tensors without reading weight data', async () => {
    const inspection = await inspectKeras(fixtureBytes('keras-3.6-cnn.weights.h5'));
    expect(inspection.format).toBe('keras3-weights-h5');
    expect(inspection.tensors.find((tensor) => tensor.name === 'head/kernel')).toEqual({
      name: 'head/kernel',
      dtype: 'BF16',
      shape: [3, 2],
      layer: 'head',
      kerasLayer: 'head',
      path: '/layers/dense_1/vars/0',
      role: 'weight',
    });
    expect(inspection.skipped.map((entry) => entry.path)).toEqual([
      '/optimizer/vars/0',
      '/optimizer/vars/1',
    ]);
    expect(inspection.layers.map((layer) => [layer.name, layer.kerasName])).toEqual([
      ['batch_normalization', 'batch_normalization_2'],
      ['conv2d', 'conv2d_4'],
      ['dense', 'dense_7'],
      ['head', 'head'],
    ]);
  });
});

describe('readKeras on layouts h5py does not use for Keras weights', () => {
  it('reads chunked, gzip-compressed and unallocated datasets through HDF5 (no direct view)', async () => {
    const module = await h5wasm.ready;
    const path = '/tmp/compressed.h5';
    const file = new h5wasm.File(path, 'w');
    file.create_attribute('layer_names', ['dense'], [1], 'A6');
    file.create_attribute('keras_version', '2.15.0', [], 'A7');
    const group = file.create_group('dense');
    group.create_attribute('weight_names', ['dense/kernel:0', 'dense/bias:0'], [2], 'A15');
    const kernel = Float32Array.from({ length: 64 * 8 }, (_, i) => i / 4);
    group.create_group('dense');
    (group.get('dense') as Group).create_dataset({
      name: 'kernel:0',
      data: kernel,
      shape: [64, 8],
      dtype: '<f',
      chunks: [16, 8],
      compression: 'gzip',
    });
    (group.get('dense') as Group).create_dataset({
      name: 'bias:0',
      data: new Float32Array(8).fill(1.5),
      shape: [8],
      dtype: '<f',
    });
    file.close();
    const bytes = module.FS.readFile(path);
    module.FS.unlink(path);
    const checkpoint = await readKeras(bytes);
    expect(numbers(checkpoint.tensors.get('dense/kernel')!)).toEqual(Array.from(kernel));
    expect(numbers(checkpoint.tensors.get('dense/bias')!)).toEqual(new Array(8).fill(1.5));
    // Contiguous data is a view of the input unless { copy: true }.
    expect(checkpoint.tensors.get('dense/bias')!.data.buffer).toBe(bytes.buffer);
    expect(checkpoint.tensors.get('dense/kernel')!.data.buffer).not.toBe(bytes.buffer);
    const copied = await readKeras(bytes, { copy: true });
    expect(copied.tensors.get('dense/bias')!.data.buffer).not.toBe(bytes.buffer);
    // Also from a Node Buffer, whose slice() is a view: the copies stay when the input changes.
    const buffer = Buffer.from(bytes);
    const fromBuffer = await readKeras(buffer, { copy: true });
    buffer.fill(0);
    expect(numbers(fromBuffer.tensors.get('dense/bias')!)).toEqual(new Array(8).fill(1.5));
  });
});
