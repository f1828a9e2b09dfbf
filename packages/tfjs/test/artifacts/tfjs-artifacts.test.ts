import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TFJS_METADATA_KEYS } from '../../src/artifacts/index.js';
import type { WeightsManifestEntry } from '../../src/artifacts/weights-manifest.js';
import { tfjsCheckpoint } from '../../src/checkpoint/index.js';
import { readTfjsArtifacts, writeTfjsArtifacts } from '../../src/node/index.js';

let folder = '';
beforeAll(async () => {
  await tf.setBackend('cpu');
  folder = await mkdtemp(join(tmpdir(), 'reprokit-tfjs-artifacts-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** Deterministic bytes, so the test needs no RNG. */
function bytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let state = seed;
  for (let index = 0; index < length; index++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    out[index] = state >>> 24;
  }
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

/** Write `data` as shards cut at the given sizes (the last shard takes the rest). */
async function writeShards(
  dir: string,
  prefix: string,
  data: Uint8Array,
  cuts: number[],
): Promise<string[]> {
  const paths: string[] = [];
  let offset = 0;
  for (const [index, cut] of [...cuts, data.byteLength].entries()) {
    const end = Math.min(cut + offset, data.byteLength);
    const path = `${prefix}-shard${index + 1}.bin`;
    await writeFile(
      join(dir, path),
      data.subarray(offset, index === cuts.length ? data.byteLength : end),
    );
    paths.push(path);
    offset = end;
  }
  return paths;
}

async function tensorBytes(t: tf.Tensor): Promise<Uint8Array> {
  const values = (await t.data()) as Float32Array | Int32Array | Uint8Array;
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

describe('readTfjsArtifacts', () => {
  it('dequantizes uint8, uint16 and float16 weights bitwise as tf.io.decodeWeights does', async () => {
    const allHalves = new Uint8Array(
      new Uint16Array(Array.from({ length: 65536 }, (_, i) => i)).buffer,
    );
    const group1: Array<[WeightsManifestEntry, Uint8Array]> = [
      [
        {
          name: 'q/u8_f32',
          shape: [7, 13],
          dtype: 'float32',
          quantization: { dtype: 'uint8', scale: 0.0123456789, min: -1.2345678 },
        },
        bytes(91, 1),
      ],
      [
        {
          name: 'q/u16_f32',
          shape: [50],
          dtype: 'float32',
          quantization: { dtype: 'uint16', scale: 3.3e-5, min: -0.77, original_dtype: 'float32' },
        },
        bytes(100, 2),
      ],
      [
        {
          name: 'q/f16_all',
          shape: [256, 256],
          dtype: 'float32',
          quantization: { dtype: 'float16' },
        },
        allHalves,
      ],
      [
        {
          name: 'q/u8_i32',
          shape: [33],
          dtype: 'int32',
          quantization: { dtype: 'uint8', scale: 0.37, min: -5.5 },
        },
        bytes(33, 3),
      ],
      [
        {
          name: 'q/u16_i32',
          shape: [3, 5],
          dtype: 'int32',
          quantization: { dtype: 'uint16', scale: 1.7, min: -1000.25 },
        },
        bytes(30, 4),
      ],
    ];
    const group2: Array<[WeightsManifestEntry, Uint8Array]> = [
      [{ name: 'plain/f32', shape: [4, 4], dtype: 'float32' }, bytes(64, 5)],
      [{ name: 'plain/i32', shape: [6], dtype: 'int32' }, bytes(24, 6)],
      [{ name: 'plain/bool', shape: [5], dtype: 'bool' }, new Uint8Array([1, 0, 1, 1, 0])],
      [{ name: 'plain/scalar', shape: [], dtype: 'float32' }, bytes(4, 7)],
    ];
    const dir = await mkdtemp(join(folder, 'quantized-'));
    const data1 = concat(group1.map(([, b]) => b));
    const data2 = concat(group2.map(([, b]) => b));
    const manifest = [
      {
        paths: await writeShards(dir, 'group1', data1, [17, 40_000, 50_000]),
        weights: group1.map(([e]) => e),
      },
      { paths: await writeShards(dir, 'group2', data2, [63]), weights: group2.map(([e]) => e) },
    ];
    await writeFile(join(dir, 'weights_manifest.json'), JSON.stringify(manifest));
    const checkpoint = await readTfjsArtifacts(join(dir, 'weights_manifest.json'));
    const reference = {
      ...tf.io.decodeWeights(
        data1.slice().buffer,
        manifest[0]!.weights as tf.io.WeightsManifestEntry[],
      ),
      ...tf.io.decodeWeights(
        data2.slice().buffer,
        manifest[1]!.weights as tf.io.WeightsManifestEntry[],
      ),
    };
    expect([...checkpoint.tensors.keys()]).toEqual(Object.keys(reference));
    for (const [name, expected] of Object.entries(reference)) {
      const tensor = checkpoint.tensors.get(name)!;
      expect([name, tensor.shape]).toEqual([name, expected.shape]);
      expect(tensor.dtype).toBe(
        ({ float32: 'F32', int32: 'I32', bool: 'BOOL' } as Record<string, string>)[expected.dtype],
      );
      expect(Buffer.compare(tensor.data, await tensorBytes(expected)), name).toBe(0);
    }
    // The float16 table covers NaN payloads, infinities, subnormals and both zeros.
    const halves = new Uint32Array(checkpoint.tensors.get('q/f16_all')!.data.slice().buffer);
    expect([halves[0x7c01], halves[0xfc00], halves[0x0001], halves[0x8000]]).toEqual([
      0x7f802000, 0xff800000, 0x33800000, 0x80000000,
    ]);
  });

  it('reads a tfjs-saved model.json in several shards under structural names', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 8, inputShape: [5] }),
        tf.layers.batchNormalization(),
        tf.layers.dense({ units: 2 }),
      ],
    });
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (saved) => {
        artifacts = saved;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const dir = await mkdtemp(join(folder, 'saved-'));
    const data = new Uint8Array(artifacts!.weightData as ArrayBuffer);
    const paths = await writeShards(dir, 'group1', data, [50, 50]);
    await writeFile(
      join(dir, 'model.json'),
      JSON.stringify({
        modelTopology: artifacts!.modelTopology,
        format: artifacts!.format,
        generatedBy: artifacts!.generatedBy,
        convertedBy: artifacts!.convertedBy,
        weightsManifest: [{ paths, weights: artifacts!.weightSpecs }],
      }),
    );
    const checkpoint = await readTfjsArtifacts(join(dir, 'model.json'));
    const expected = await tfjsCheckpoint(tf).read(model);
    expect(new Set(checkpoint.tensors.keys())).toEqual(new Set(expected.tensors.keys()));
    for (const [name, tensor] of expected.tensors) {
      expect(Buffer.compare(checkpoint.tensors.get(name)!.data, tensor.data), name).toBe(0);
    }
    expect(
      JSON.parse(checkpoint.metadata.get(TFJS_METADATA_KEYS.weightNames)!)['dense_1/kernel'],
    ).toBe(model.layers[2]!.weights[0]!.originalName);
    expect(checkpoint.metadata.get(TFJS_METADATA_KEYS.format)).toBe('layers-model');
  });

  const badCases: Array<[string, unknown, Record<string, Uint8Array>, Record<string, unknown>]> = [
    [
      'a path with ../',
      [{ paths: ['../outside.bin'], weights: [{ name: 'w', shape: [1], dtype: 'float32' }] }],
      {},
      { code: 'TFJS_ARTIFACT_PATH_ESCAPES', tensor: 'w' },
    ],
    [
      'an absolute path',
      [{ paths: ['/etc/passwd'], weights: [{ name: 'w', shape: [1], dtype: 'float32' }] }],
      {},
      { code: 'TFJS_ARTIFACT_PATH_ESCAPES' },
    ],
    [
      'a missing shard',
      [{ paths: ['nope.bin'], weights: [{ name: 'w', shape: [1], dtype: 'float32' }] }],
      {},
      { code: 'TFJS_ARTIFACT_SHARD_MISSING', tensor: 'w' },
    ],
    [
      'a short shard',
      [
        {
          paths: ['a.bin', 'b.bin'],
          weights: [
            { name: 'first', shape: [2], dtype: 'float32' },
            { name: 'second', shape: [3], dtype: 'float32' },
          ],
        },
      ],
      { 'a.bin': new Uint8Array(10), 'b.bin': new Uint8Array(6) },
      { code: 'TFJS_ARTIFACT_SHARD_SHORT', tensor: 'second', byteOffset: 8 },
    ],
    [
      'a long shard',
      [{ paths: ['a.bin'], weights: [{ name: 'w', shape: [1], dtype: 'float32' }] }],
      { 'a.bin': new Uint8Array(5) },
      { code: 'TFJS_ARTIFACT_SHARD_LONG' },
    ],
    [
      'an unknown dtype',
      [{ paths: ['a.bin'], weights: [{ name: 'w', shape: [1], dtype: 'float64' }] }],
      { 'a.bin': new Uint8Array(8) },
      { code: 'TFJS_ARTIFACT_UNKNOWN_DTYPE', tensor: 'w' },
    ],
    [
      'a string weight',
      [{ paths: ['a.bin'], weights: [{ name: 'vocab', shape: [1], dtype: 'string' }] }],
      { 'a.bin': new Uint8Array(8) },
      { code: 'TFJS_ARTIFACT_STRING_WEIGHT', tensor: 'vocab' },
    ],
    [
      'an unknown quantization',
      [
        {
          paths: ['a.bin'],
          weights: [{ name: 'w', shape: [2], dtype: 'float32', quantization: { dtype: 'int4' } }],
        },
      ],
      { 'a.bin': new Uint8Array(1) },
      { code: 'TFJS_ARTIFACT_UNKNOWN_QUANTIZATION', tensor: 'w' },
    ],
    [
      'float16 on int32',
      [
        {
          paths: ['a.bin'],
          weights: [{ name: 'w', shape: [2], dtype: 'int32', quantization: { dtype: 'float16' } }],
        },
      ],
      { 'a.bin': new Uint8Array(4) },
      { code: 'TFJS_ARTIFACT_UNKNOWN_QUANTIZATION', tensor: 'w' },
    ],
    [
      'uint8 without scale',
      [
        {
          paths: ['a.bin'],
          weights: [{ name: 'w', shape: [2], dtype: 'float32', quantization: { dtype: 'uint8' } }],
        },
      ],
      { 'a.bin': new Uint8Array(2) },
      { code: 'TFJS_ARTIFACT_QUANTIZATION_PARAMS', tensor: 'w' },
    ],
    [
      'a bad shape',
      [{ paths: ['a.bin'], weights: [{ name: 'w', shape: [-1], dtype: 'float32' }] }],
      { 'a.bin': new Uint8Array(4) },
      { code: 'TFJS_ARTIFACT_BAD_MANIFEST', tensor: 'w' },
    ],
  ];
  for (const [label, manifest, files, expected] of badCases) {
    it(`refuses ${label} with a typed error naming the file`, async () => {
      const dir = await mkdtemp(join(folder, 'bad-'));
      for (const [path, data] of Object.entries(files)) await writeFile(join(dir, path), data);
      const manifestPath = join(dir, 'model.json');
      await writeFile(manifestPath, JSON.stringify({ weightsManifest: manifest }));
      const error = await readTfjsArtifacts(manifestPath).catch((e: unknown) => e);
      expect(error).toMatchObject(expected);
      expect((error as { file?: string }).file).toContain(dir);
    });
  }
});

describe('writeTfjsArtifacts', () => {
  it('writes model.json and shards that tf.loadLayersModel loads with identical predictions', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ filters: 3, kernelSize: 3, inputShape: [6, 6, 2] }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 4, activation: 'tanh' }),
        tf.layers.batchNormalization(),
      ],
    });
    const checkpoint = await tfjsCheckpoint(tf).read(model);
    const dir = await mkdtemp(join(folder, 'written-'));
    const modelJsonPath = await writeTfjsArtifacts(checkpoint, dir, {
      modelTopology: model.toJSON(null, false),
      shardSize: 100,
    });
    const modelJson = JSON.parse(await readFile(modelJsonPath, 'utf8'));
    const group = modelJson.weightsManifest[0];
    expect(group.paths.length).toBe(
      Math.ceil(
        checkpoint.tensors.size === 0
          ? 1
          : [...checkpoint.tensors.values()].reduce((s, t) => s + t.data.byteLength, 0) / 100,
      ),
    );
    const shards = await Promise.all(group.paths.map((p: string) => readFile(join(dir, p))));
    expect(shards.slice(0, -1).every((s: Buffer) => s.byteLength === 100)).toBe(true);
    const loaded = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: modelJson.modelTopology,
        weightSpecs: group.weights,
        weightData: concat(shards).buffer as ArrayBuffer,
      }),
    );
    const input = tf.randomUniform([2, 6, 6, 2], -1, 1, 'float32', 7);
    const expected = await tensorBytes(model.predict(input) as tf.Tensor);
    expect(Buffer.compare(await tensorBytes(loaded.predict(input) as tf.Tensor), expected)).toBe(0);
    const back = await readTfjsArtifacts(modelJsonPath);
    for (const [name, tensor] of checkpoint.tensors) {
      expect(Buffer.compare(back.tensors.get(name)!.data, tensor.data), name).toBe(0);
    }
  });

  it('refuses tensors tfjs cannot hold', async () => {
    const dir = await mkdtemp(join(folder, 'refused-'));
    await expect(
      writeTfjsArtifacts(
        {
          tensors: new Map([['w', { dtype: 'F64', shape: [1], data: new Uint8Array(8) }]]),
          metadata: new Map(),
        },
        dir,
      ),
    ).rejects.toMatchObject({ code: 'TFJS_ARTIFACT_UNSUPPORTED_DTYPE', tensor: 'w' });
  });
});
