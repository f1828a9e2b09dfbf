import {
  bytesSource,
  type Checkpoint,
  decodeSafetensors,
  encodeSafetensors,
  fingerprint,
  seedEverything,
} from '@reprokit/core';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { TFJS_METADATA_KEYS } from '../../src/artifacts/index.js';
import { tfjsCheckpoint } from '../../src/checkpoint/index.js';
import { loadLayersModelFromSafetensors, safetensorsIO, tfjsSeedControl } from '../../src/index.js';

function createModel(): tf.LayersModel {
  const input = tf.input({ shape: [5] });
  const hidden = tf.layers
    .dense({ units: 6, activation: 'tanh', biasInitializer: 'ones' })
    .apply(input) as tf.SymbolicTensor;
  const normalised = tf.layers.batchNormalization().apply(hidden) as tf.SymbolicTensor;
  const output = tf.layers
    .dense({ units: 2, biasInitializer: 'ones' })
    .apply(normalised) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output });
}

async function predictBytes(model: tf.LayersModel): Promise<number[]> {
  const input = tf.tensor2d(
    Array.from({ length: 15 }, (_, i) => Math.cos(i)),
    [3, 5],
  );
  const output = model.predict(input) as tf.Tensor;
  const values = Array.from(new Uint32Array((await output.data()).slice().buffer));
  tf.dispose([input, output]);
  return values;
}

/** The file `model.save(safetensorsIO({ onSave }))` produces for `model`. */
async function saveToBytes(model: tf.LayersModel): Promise<Uint8Array> {
  let saved: Uint8Array | undefined;
  await model.save(
    safetensorsIO({
      onSave: (bytes) => {
        saved = bytes;
      },
    }),
  );
  return saved!;
}

/** A trained model, so that no weight equals its initial value. */
async function trainedModel(): Promise<tf.LayersModel> {
  const model = createModel();
  model.compile({ optimizer: tf.train.sgd(0.05), loss: 'meanSquaredError' });
  await model.fit(
    tf.randomNormal([8, 5], 0, 1, 'float32', 5),
    tf.randomNormal([8, 2], 0, 1, 'float32', 6),
    {
      epochs: 2,
      shuffle: false,
      verbose: 0,
    },
  );
  return model;
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`safetensorsIO and loadLayersModelFromSafetensors on bytes, Blobs and sources (${backend})`, () => {
    beforeAll(async () => {
      await tf.setBackend(backend);
      await tf.ready();
      expect(tf.getBackend()).toBe(backend);
    });

    it('saves to bytes through onSave and loads back bitwise from bytes, a Blob and a ByteSource', async () => {
      const model = await trainedModel();
      const bytes = await saveToBytes(model);
      const expected = await tfjsCheckpoint(tf).read(model);
      const file = decodeSafetensors(bytes);
      expect(fingerprint(file)).toBe(fingerprint(expected));
      expect(file.metadata.get(TFJS_METADATA_KEYS.format)).toBe('layers-model');
      const source = bytesSource(bytes, 'model.safetensors');
      const loaded = [
        await tf.loadLayersModel(safetensorsIO(bytes)),
        await tf.loadLayersModel(safetensorsIO(new Blob([bytes]))),
        await tf.loadLayersModel(safetensorsIO(source)),
        await loadLayersModelFromSafetensors(tf, bytes),
        await loadLayersModelFromSafetensors(tf, new Blob([bytes])),
        await loadLayersModelFromSafetensors(tf, source),
      ];
      const want = await predictBytes(model);
      for (const [index, again] of loaded.entries()) {
        expect([index, await predictBytes(again)]).toEqual([index, want]);
        expect(fingerprint(await tfjsCheckpoint(tf).read(again))).toBe(fingerprint(expected));
      }
      // A ByteSource stays the caller's: still open after both loads.
      expect((await source.read(0, 8)).length).toBe(8);
      // The direct load's weights do not alias the caller's bytes.
      bytes.fill(0);
      expect(await predictBytes(loaded[3]!)).toEqual(want);
      for (const m of [model, ...loaded]) m.dispose();
    });

    it('strict by default; with strict: false, tensors the file lacks keep their real initial values', async () => {
      const model = await trainedModel();
      const checkpoint = decodeSafetensors(await saveToBytes(model));
      const tensors = new Map(checkpoint.tensors);
      tensors.delete('dense_1/bias');
      const partial: Checkpoint = { tensors, metadata: checkpoint.metadata };
      const bytes = encodeSafetensors(partial);
      await expect(loadLayersModelFromSafetensors(tf, bytes)).rejects.toMatchObject({
        code: 'CHECKPOINT_MISMATCH',
        message: expect.stringContaining('missing "dense_1/bias"'),
      });
      const loaded = await loadLayersModelFromSafetensors(tf, bytes, { strict: false });
      const read = await tfjsCheckpoint(tf).read(loaded);
      // biasInitializer 'ones': built with the real initializers, not left as placeholders.
      expect(
        Array.from(new Float32Array(read.tensors.get('dense_1/bias')!.data.slice().buffer)),
      ).toEqual([1, 1]);
      for (const name of tensors.keys()) {
        expect([
          name,
          fingerprint({ tensors: new Map([[name, read.tensors.get(name)!]]), metadata: new Map() }),
        ]).toEqual([
          name,
          fingerprint({ tensors: new Map([[name, tensors.get(name)!]]), metadata: new Map() }),
        ]);
      }
      model.dispose();
      loaded.dispose();
    });
  });
}

describe('loadLayersModelFromSafetensors builds without running initializers', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('draws no random number, and leaves the initializers as they were', async () => {
    const model = await trainedModel();
    const bytes = await saveToBytes(model);
    const scope = seedEverything(11, { controls: [tfjsSeedControl(tf, { audit: 'off' })] });
    try {
      const before = JSON.stringify(scope.snapshot());
      const loaded = await loadLayersModelFromSafetensors(tf, bytes);
      // The seeded streams did not move: glorotUniform kernels were never drawn.
      expect(JSON.stringify(scope.snapshot())).toBe(before);
      loaded.dispose();
      // After the load, initializers work again (a placeholder would be all zeros).
      const fresh = createModel();
      const kernel = Array.from(fresh.layers[1]!.getWeights()[0]!.dataSync());
      expect(kernel.some((value) => value !== 0)).toBe(true);
      expect(JSON.stringify(scope.snapshot())).not.toBe(before);
      fresh.dispose();
    } finally {
      scope.release();
      model.dispose();
    }
  });
});

describe('safetensorsIO without a path', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('refuses to save without onSave, to load without an input, and a string path', async () => {
    const model = createModel();
    await expect(model.save(safetensorsIO(new Uint8Array(0)))).rejects.toMatchObject({
      code: 'TFJS_IO_NO_SAVE_TARGET',
    });
    await expect(
      tf.loadLayersModel(safetensorsIO({ onSave: () => undefined })),
    ).rejects.toMatchObject({
      code: 'TFJS_IO_CANNOT_OPEN',
    });
    expect(() => safetensorsIO('model.safetensors' as unknown as Uint8Array)).toThrowError(
      expect.objectContaining({
        code: 'TFJS_IO_CANNOT_OPEN',
        message: expect.stringContaining('@reprokit/tfjs/node'),
      }),
    );
    model.dispose();
  });

  it('names the input in errors: no topology, bad header', async () => {
    const model = createModel();
    const weightsOnly = encodeSafetensors(await tfjsCheckpoint(tf).read(model));
    const file = new File([weightsOnly], 'weights-only.safetensors');
    await expect(tf.loadLayersModel(safetensorsIO(file))).rejects.toMatchObject({
      code: 'TFJS_IO_NO_TOPOLOGY',
      file: 'weights-only.safetensors',
    });
    await expect(loadLayersModelFromSafetensors(tf, file)).rejects.toMatchObject({
      code: 'TFJS_IO_NO_TOPOLOGY',
      file: 'weights-only.safetensors',
    });
    await expect(
      loadLayersModelFromSafetensors(tf, new TextEncoder().encode('not a safetensors file')),
    ).rejects.toMatchObject({ code: 'TFJS_IO_CANNOT_OPEN', file: '<bytes>' });
    model.dispose();
  });
});
