import { bytesSource, ReprokitError } from '@reprokit/core';
import { tfjsCheckpoint } from '@reprokit/tfjs';
import * as tf from '@tensorflow/tfjs';
import h5wasm from 'h5wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeKeras, KerasError, kerasLayerOrder, readKeras } from '../src/index.js';
import { concatBytes, encodeZip } from '../src/zip/zip-writer.js';
import { EXPECTED, fixtureBytes } from './helpers/fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function failure(promise: Promise<unknown>): Promise<KerasError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(KerasError.isInstance(error), String(error)).toBe(true);
  return error as KerasError;
}

describe('bad input gets a typed KerasError naming the layer and the weight', () => {
  it.each(Object.entries(EXPECTED.__bad__))('%s -> %o', async (name, want) => {
    const error = await failure(readKeras(fixtureBytes(name), { name }));
    expect({
      code: error.code,
      layer: error.layer,
      tensor: error.tensor,
      file: error.file,
    }).toEqual({
      code: want.code,
      layer: want.layer,
      tensor: want.tensor,
      file: name,
    });
  });

  it('a truncated file: KERAS_TRUNCATED, naming the file', async () => {
    const bytes = fixtureBytes('tf-keras-2.15-save-weights.h5');
    for (const fraction of [0.3, 0.6, 0.95]) {
      const error = await failure(
        readKeras(bytes.slice(0, Math.floor(bytes.length * fraction)), { name: 'cut.h5' }),
      );
      expect([error.code, error.file]).toEqual(['KERAS_TRUNCATED', 'cut.h5']);
    }
    const signature = await failure(readKeras(bytes.slice(0, 5)));
    expect(signature.code).toBe('KERAS_TRUNCATED');
    const zip = fixtureBytes('keras-3.6-cnn.keras');
    const cutZip = await failure(readKeras(zip.slice(0, zip.length - 40)));
    expect(cutZip.code).toBe('KERAS_INVALID_ZIP');
  });

  it('not HDF5 and not zip: KERAS_NOT_KERAS_FILE', async () => {
    for (const bytes of [
      new Uint8Array(0),
      new TextEncoder().encode('{"weights": []}'),
      new Uint8Array(4096).fill(7),
    ]) {
      expect((await failure(readKeras(bytes))).code).toBe('KERAS_NOT_KERAS_FILE');
    }
  });

  it('an unsupported dtype names the layer, the weight and the dataset', async () => {
    const error = await failure(readKeras(fixtureBytes('bad-string-weight.h5')));
    expect(error.h5Path).toBe('/dense/dense/bias:0');
    expect(error.message).toContain('string');
  });

  it('a 10 MB attribute: KERAS_ATTRIBUTE_TOO_LARGE, naming the attribute, before reading it', async () => {
    const module = await h5wasm.ready;
    const path = '/tmp/big-attribute.h5';
    // HDF5 >= 1.8 formats store large attributes densely; h5py does so with libver='latest'.
    const file = new h5wasm.File(path, 'w', { libver: ['v110', 'v110'] });
    const names = Array.from({ length: 10_000 }, (_, index) => `layer_${index}`.padEnd(1000, 'x'));
    file.create_attribute('layer_names', names, [names.length], 'A1001');
    file.close();
    const bytes = module.FS.readFile(path);
    module.FS.unlink(path);
    expect(bytes.length).toBeGreaterThan(10_000_000);
    const error = await failure(readKeras(bytes, { name: 'big.h5' }));
    expect([error.code, error.h5Path]).toEqual(['KERAS_ATTRIBUTE_TOO_LARGE', '/']);
    expect(error.message).toContain('"layer_names" holds 10010000 bytes');
    // The limit is an option.
    const read = await readKeras(bytes, { maxAttributeBytes: 16 << 20 }).catch(
      (caught: KerasError) => caught,
    );
    expect((read as KerasError).code).toBe('KERAS_MISSING_OBJECT');
  });

  it('a weight count or shape that does not match the model (kerasLayerOrder): counts, layer and weight named, nothing loaded', async () => {
    const checkpoint = await readKeras(fixtureBytes('tf-keras-2.15-save-weights.h5'));
    const adapter = tfjsCheckpoint(tf);
    const fewerLayers = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [5, 5, 1], filters: 2, kernelSize: 3 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 3 }),
      ],
    });
    const layers = await failure(
      adapter.write(fewerLayers, checkpoint, { mapping: kerasLayerOrder() }),
    );
    expect(layers.code).toBe('KERAS_LAYER_COUNT_MISMATCH');
    const noBias = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [5, 5, 1], filters: 2, kernelSize: 3, useBias: false }),
        tf.layers.batchNormalization(),
        tf.layers.flatten(),
        tf.layers.dense({ units: 3 }),
      ],
    });
    const count = await failure(adapter.write(noBias, checkpoint, { mapping: kerasLayerOrder() }));
    expect([count.code, count.layer]).toEqual(['KERAS_WEIGHT_COUNT_MISMATCH', 'conv2d_1']);
    const wider = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [5, 5, 1], filters: 2, kernelSize: 3 }),
        tf.layers.batchNormalization(),
        tf.layers.flatten(),
        tf.layers.dense({ units: 4 }),
      ],
    });
    const before = await Promise.all(wider.getWeights().map((w) => w.data()));
    const shape = await failure(adapter.write(wider, checkpoint, { mapping: kerasLayerOrder() }));
    expect([shape.code, shape.layer, shape.tensor]).toEqual([
      'KERAS_SHAPE_MISMATCH',
      'dense_1',
      'dense/kernel',
    ]);
    expect(await Promise.all(wider.getWeights().map((w) => w.data()))).toEqual(before);
    for (const model of [fewerLayers, noBias, wider]) model.dispose();
  });

  it('.keras archives: no weights entry, npz weights, a bad CRC, a deflate bomb, bad config.json', async () => {
    const encoder = new TextEncoder();
    const zip = async (
      entries: Array<{ name: string; data: Uint8Array; method?: 'stored' | 'deflate' }>,
    ) => concatBytes(await encodeZip(entries));
    const h5 = fixtureBytes('keras-3.6-cnn.weights.h5');
    expect(
      (await failure(readKeras(await zip([{ name: 'config.json', data: encoder.encode('{}') }]))))
        .code,
    ).toBe('KERAS_MISSING_ENTRY');
    expect(
      (
        await failure(
          readKeras(await zip([{ name: 'model.weights.npz', data: new Uint8Array(4) }])),
        )
      ).code,
    ).toBe('KERAS_UNSUPPORTED_FORMAT');
    const archive = await zip([{ name: 'model.weights.h5', data: h5 }]);
    const flipped = archive.slice();
    flipped[100]! ^= 0xff;
    expect((await failure(readKeras(flipped))).code).toBe('KERAS_INVALID_ZIP');
    const zeros = await zip([
      { name: 'model.weights.h5', data: new Uint8Array(1 << 20), method: 'deflate' },
    ]);
    // Claim 100 GB inflated in the central directory.
    const view = new DataView(zeros.buffer, zeros.byteOffset, zeros.byteLength);
    const central = zeros.length - 22 - 46 - 'model.weights.h5'.length;
    view.setUint32(central + 24, 0xfffffff0, true);
    expect((await failure(readKeras(zeros))).code).toBe('KERAS_ZIP_BOMB');
    const badConfig = await zip([
      { name: 'config.json', data: encoder.encode('{not json') },
      { name: 'model.weights.h5', data: h5 },
    ]);
    expect((await failure(readKeras(badConfig))).code).toBe('KERAS_INVALID_CONFIG');
  });

  it('errors of a ByteSource stay what they are (ReprokitError from the source)', async () => {
    const source = bytesSource(fixtureBytes('tf-keras-2.15-save-weights.h5'), 'closed.h5');
    await source.close();
    const error = await readKeras(source).catch((caught: unknown) => caught);
    expect(ReprokitError.isInstance(error)).toBe(true);
    expect((error as ReprokitError).code).toBe('SOURCE_CLOSED');
  });
});

describe("h5wasm's heap and file system are released after each file", () => {
  it('50 reads (and 50 refused files) leave the wasm heap, its free space and MEMFS as they were', async () => {
    const module = await h5wasm.ready;
    const good = fixtureBytes('tf-keras-2.15-model.h5');
    const bad = fixtureBytes('bad-string-weight.h5');
    const round = async () => {
      await readKeras(good);
      await failure(readKeras(bad));
      await encodeKeras(await readKeras(good), {
        format: 'keras3-weights-h5',
        layerClasses: { head: 'Sequential' },
      });
    };
    // HDF5 keeps small free lists and caches that settle after the first files.
    for (let warmUp = 0; warmUp < 5; warmUp++) await round();
    // Where a fresh 4 MiB block lands tells whether earlier blocks were freed.
    const probe = () => {
      const pointer = module._malloc(4 << 20);
      module._free(pointer);
      return pointer;
    };
    const heap = module.HEAPU8.length;
    const block = probe();
    const files = module.FS.readdir('/tmp').length;
    for (let index = 0; index < 50; index++) await round();
    expect(module.HEAPU8.length).toBe(heap);
    expect(probe()).toBe(block);
    expect(module.FS.readdir('/tmp').length).toBe(files);
    expect(
      module.FS.readdir('/tmp').filter((name: string) => name.startsWith('reprokit-')),
    ).toEqual([]);
  }, 300_000);
});
