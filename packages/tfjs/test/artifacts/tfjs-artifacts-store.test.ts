import {
  bytesFiles,
  bytesSource,
  fingerprint,
  inspectCheckpoint,
  probeOf,
  readCheckpoint,
  shardedSafetensorsStore,
} from '@reprokit/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  decodeTfjsArtifacts,
  encodeTfjsArtifacts,
  TFJS_METADATA_KEYS,
  tfjsArtifactsStore,
} from '../../src/artifacts/index.js';
import { tfjsCheckpoint } from '../../src/checkpoint/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const text = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const f32 = (...values: number[]) => new Uint8Array(new Float32Array(values).buffer);

function model(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: 3, inputShape: [2] }),
      tf.layers.batchNormalization(),
      tf.layers.dense({ units: 1 }),
    ],
  });
}

describe('tfjsArtifactsStore', () => {
  it('reads the files encodeTfjsArtifacts gives, from bytes by name, under structural names', async () => {
    const m = model();
    const checkpoint = await tfjsCheckpoint(tf).read(m);
    const files = await encodeTfjsArtifacts(checkpoint, {
      modelTopology: m.toJSON(null, false),
      shardSize: 20,
    });
    // 2*3 + 3 + 4*3 + 3 + 1 floats = 100 bytes in 20-byte shards.
    expect([...files.keys()]).toEqual([
      'model.json',
      ...[1, 2, 3, 4, 5].map((index) => `group1-shard${index}of5.bin`),
    ]);
    const back = await readCheckpoint(bytesFiles(files, 'model.json'), {
      stores: [tfjsArtifactsStore()],
    });
    expect([...back.tensors.keys()]).toEqual([...checkpoint.tensors.keys()]);
    expect(fingerprint(back)).toBe(fingerprint(checkpoint));
    expect(JSON.parse(back.metadata.get(TFJS_METADATA_KEYS.weightNames)!)['dense_1/kernel']).toBe(
      m.layers[2]!.weights[0]!.originalName,
    );
    const tfjsNames = await readCheckpoint(bytesFiles(files, 'model.json'), {
      stores: [tfjsArtifactsStore({ names: 'tfjs' })],
    });
    expect([...tfjsNames.tensors.keys()].sort()).toEqual(
      m.weights.map((w) => w.originalName).sort(),
    );
  });

  it('inspects names, dtypes, shapes, byte lengths and metadata without the weight bytes', async () => {
    const modelJson = {
      format: 'layers-model',
      weightsManifest: [
        {
          paths: ['a.bin'],
          weights: [
            {
              name: 'q',
              shape: [2, 2],
              dtype: 'float32',
              quantization: { dtype: 'uint8', scale: 1, min: 0 },
            },
            { name: 'i', shape: [3], dtype: 'int32' },
          ],
        },
      ],
    };
    let read = 0;
    const shard = bytesSource(new Uint8Array(4 + 12), 'a.bin');
    const files = {
      entry: bytesSource(text(modelJson), 'model.json'),
      async open(name: string) {
        expect(name).toBe('a.bin');
        return {
          ...shard,
          read: (...args: Parameters<typeof shard.read>) => {
            read++;
            return shard.read(...args);
          },
        };
      },
    };
    const summary = await inspectCheckpoint(files, { stores: [tfjsArtifactsStore()] });
    expect(summary).toMatchObject({
      format: 'tfjs-artifacts',
      files: ['model.json', 'a.bin'],
      tensors: [
        { name: 'q', dtype: 'F32', shape: [2, 2], byteLength: 16 },
        { name: 'i', dtype: 'I32', shape: [3], byteLength: 12 },
      ],
    });
    expect(summary.metadata.get(TFJS_METADATA_KEYS.format)).toBe('layers-model');
    expect(read).toBe(0);
  });

  it('detects model.json and weights manifests by their first bytes, not sharded indexes', async () => {
    const store = tfjsArtifactsStore();
    const detect = async (name: string, bytes: Uint8Array) =>
      store.detect(await probeOf(bytesSource(bytes, name)));
    expect(await detect('model.json', text({ modelTopology: {}, weightsManifest: [] }))).toBe(true);
    expect(
      await detect('anything', text({ format: 'graph-model', modelTopology: { node: [] } })),
    ).toBe(true);
    expect(await detect('weights_manifest.json', text([{ paths: ['a.bin'], weights: [] }]))).toBe(
      true,
    );
    expect(await detect('model.safetensors.index.json', text({ weight_map: {} }))).toBe(false);
    expect(await detect('other.json', text({ weight_map: {}, weightsManifest: [] }))).toBe(false);
    expect(await detect('model.json', text({ hello: 'world' }))).toBe(false);
    expect(await detect('model.json', new Uint8Array([8, 0, 0, 0, 0, 0, 0, 0, 0x7b]))).toBe(false);
    // The sharded store does not take a model.json either.
    const sharded = shardedSafetensorsStore();
    expect(
      sharded.detect(await probeOf(bytesSource(text({ weightsManifest: [] }), 'model.json'))),
    ).toBe(false);
  });

  it('lists the .bin shards of an entry in its folder as its data files, nothing else', async () => {
    const entry = text({
      weightsManifest: [
        { paths: ['group1-shard1of2.bin', './group1-shard2of2.bin'], weights: [] },
        {
          paths: ['weights.bin', 'sub/x.bin', '../up.bin', 'data.npy', '.hidden.bin'],
          weights: [],
        },
      ],
    });
    const files = bytesFiles({ 'model.json': entry }, 'model.json');
    expect(await tfjsArtifactsStore().dataFilesOf!(files)).toEqual([
      'group1-shard1of2.bin',
      'group1-shard2of2.bin',
      'weights.bin',
    ]);
  });

  it('names the shards of an entry other than model.json after it', async () => {
    const checkpoint = {
      tensors: new Map([['w', { dtype: 'F32' as const, shape: [1], data: f32(1) }]]),
      metadata: new Map(),
    };
    const encoded = await tfjsArtifactsStore().encode!(checkpoint, { entryName: 'encoder.json' });
    expect(encoded.dataFiles.map((file) => file.name)).toEqual(['encoder.group1-shard1of1.bin']);
  });

  it('refuses shard names that leave the folder, and missing shards, with typed errors', async () => {
    const weights = [{ name: 'w', shape: [1], dtype: 'float32' }];
    const read = (paths: string[], extra: Record<string, Uint8Array> = {}) =>
      readCheckpoint(
        bytesFiles(
          { 'model.json': text({ weightsManifest: [{ paths, weights }] }), ...extra },
          'model.json',
        ),
        { stores: [tfjsArtifactsStore()] },
      );
    await expect(read(['../w.bin'])).rejects.toMatchObject({
      code: 'TFJS_ARTIFACT_PATH_ESCAPES',
      tensor: 'w',
      file: 'model.json',
    });
    await expect(read(['w.bin'])).rejects.toMatchObject({
      code: 'TFJS_ARTIFACT_SHARD_MISSING',
      tensor: 'w',
    });
    await expect(read(['w.bin'], { 'w.bin': new Uint8Array(3) })).rejects.toMatchObject({
      code: 'TFJS_ARTIFACT_SHARD_SHORT',
      file: 'w.bin',
      byteOffset: 0,
    });
    const back = await read(['w.bin'], { 'w.bin': f32(2.5) });
    expect(new Float32Array(back.tensors.get('w')!.data.slice().buffer)).toEqual(
      new Float32Array([2.5]),
    );
  });

  it('reports read progress over every shard', async () => {
    const files = await encodeTfjsArtifacts(
      {
        tensors: new Map([['w', { dtype: 'F32' as const, shape: [10], data: new Uint8Array(40) }]]),
        metadata: new Map(),
      },
      { shardSize: 16 },
    );
    const seen: Array<[number, number]> = [];
    await readCheckpoint(bytesFiles(files, 'model.json'), {
      stores: [tfjsArtifactsStore()],
      onProgress: (done, total) => seen.push([done, total]),
    });
    expect(seen).toEqual([
      [16, 40],
      [32, 40],
      [40, 40],
    ]);
  });
});

describe('decodeTfjsArtifacts', () => {
  it('decodes tf.io ModelArtifacts held in memory, as tfjs saved them', async () => {
    const m = model();
    let artifacts: tf.io.ModelArtifacts | undefined;
    await m.save(
      tf.io.withSaveHandler(async (saved) => {
        artifacts = saved;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const checkpoint = decodeTfjsArtifacts(
      {
        modelTopology: artifacts!.modelTopology,
        weightsManifest: [{ paths: [], weights: artifacts!.weightSpecs }],
      },
      [new Uint8Array(artifacts!.weightData as ArrayBuffer)],
    );
    expect(fingerprint(checkpoint)).toBe(fingerprint(await tfjsCheckpoint(tf).read(m)));
  });
});
