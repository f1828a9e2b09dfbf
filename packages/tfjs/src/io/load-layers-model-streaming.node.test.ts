/*
 * The direct load streaming a model layer by layer from nginx (Debian's, on loopback), a single
 * file and a sharded checkpoint, and from a sharded checkpoint on disk: the weights must equal,
 * bit for bit, those of the whole load from the same bytes in memory. Faults mid-stream (a
 * connection that keeps dropping, a file replaced on the server) must end in a typed error with
 * no model returned and no tensor left behind.
 */
import { copyFile, mkdir, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ByteSourceError, bytesSource, decodeSafetensors } from '@reprokit/core';
import { writeShardedSafetensors } from '@reprokit/core/node';
import {
  type FaultProxy,
  type NginxServer,
  startFaultProxy,
  startNginx,
} from '@reprokit/http-test-servers';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointWeights } from '../checkpoint/checkpoint-weight-names.js';
import { loadLayersModelFromSafetensors as loadFromPath } from '../node/load-layers-model-from-safetensors.js';
import { saveLayersModelToSafetensors } from '../node/save-layers-model-to-safetensors.js';
import {
  type LoadProgress,
  loadLayersModelFromSafetensors,
} from './load-layers-model-from-safetensors.js';

const LAYERS = 6;
const UNITS = 96;
// Per Dense layer: kernel UNITS x UNITS and bias UNITS, float32.
const LAYER_BYTES = (UNITS * UNITS + UNITS) * 4;

let nginx: NginxServer;
let proxy: FaultProxy;
let singleBytes: Uint8Array;

beforeAll(async () => {
  await tf.setBackend('cpu');
  nginx = await startNginx();
  proxy = await startFaultProxy({ upstream: nginx.url });
  // Random (glorot) kernels and distinct biases: a misplaced byte anywhere shows.
  const model = tf.sequential({
    layers: Array.from({ length: LAYERS }, (_, index) =>
      tf.layers.dense({
        units: UNITS,
        inputShape: index === 0 ? [UNITS] : undefined,
        biasInitializer: tf.initializers.randomUniform({ minval: -1, maxval: 1, seed: index }),
        kernelInitializer: tf.initializers.glorotUniform({ seed: 100 + index }),
      }),
    ),
  });
  const single = join(nginx.root, 'model.safetensors');
  await saveLayersModelToSafetensors(model, single);
  model.dispose();
  singleBytes = new Uint8Array(await readFile(single));
  // The same checkpoint in shards of about two layers each, metadata (topology) in every shard.
  await mkdir(join(nginx.root, 'sharded'), { recursive: true });
  await writeShardedSafetensors(decodeSafetensors(singleBytes), join(nginx.root, 'sharded'), {
    maxShardSize: 2 * LAYER_BYTES,
  });
  // A replacement: the same file with different bytes (one tensor byte flipped).
  const replaced = singleBytes.slice();
  replaced[replaced.length - 1]! ^= 0xff;
  await writeFile(join(nginx.root, 'replaced.safetensors'), replaced);
  // nginx's ETag is the mtime (seconds) and size: give the replacement a time of its own.
  await utimes(join(nginx.root, 'replaced.safetensors'), 1_700_000_000, 1_700_000_000);
}, 300_000);

afterAll(async () => {
  await proxy?.stop();
  await nginx?.stop();
});

/** Every weight's bytes by checkpoint name. */
async function weightBytes(model: tf.LayersModel): Promise<Map<string, Uint8Array>> {
  const result = new Map<string, Uint8Array>();
  for (const weight of checkpointWeights(model)) {
    const values = (await weight.variable.read().data()) as Float32Array;
    result.set(
      weight.name,
      new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice(),
    );
  }
  return result;
}

async function expectSameWeights(model: tf.LayersModel): Promise<void> {
  const whole = await loadLayersModelFromSafetensors(tf, singleBytes);
  const expected = await weightBytes(whole);
  whole.dispose();
  const actual = await weightBytes(model);
  expect([...actual.keys()]).toEqual([...expected.keys()]);
  expect(actual.size).toBe(LAYERS * 2);
  for (const [name, bytes] of expected) {
    // Buffer.equals: one boolean, not megabytes of diff on failure.
    expect(Buffer.from(actual.get(name)!).equals(Buffer.from(bytes)), name).toBe(true);
  }
}

describe('streaming a layers model layer by layer', () => {
  it('loads a single file from nginx with one request per layer, bitwise equal to the whole load', async () => {
    await nginx.clearAccessLog();
    const progress: LoadProgress[] = [];
    const model = await loadLayersModelFromSafetensors(tf, `${nginx.url}/model.safetensors`, {
      onProgress: (step) => progress.push(step),
    });
    await expectSameWeights(model);
    model.dispose();
    expect(progress.map((step) => step.layer)).toEqual([
      'dense',
      ...Array.from({ length: LAYERS - 1 }, (_, index) => `dense_${index + 1}`),
    ]);
    expect(progress.at(-1)).toMatchObject({
      loadedBytes: LAYERS * LAYER_BYTES,
      totalBytes: LAYERS * LAYER_BYTES,
      loadedLayers: LAYERS,
      layerCount: LAYERS,
    });
    // The opening request (64 kB probe: header and the first tensors' start), then at most one
    // request per layer: a layer's kernel and bias are read together and merged.
    const log = await nginx.waitForAccessLog(2);
    expect(log.length).toBeLessThanOrEqual(1 + LAYERS);
    const sent = log.reduce((sum, entry) => sum + entry.bodyBytesSent, 0);
    // Each byte about once: at most the probe's 64,000 bytes more than the file.
    expect(sent).toBeLessThanOrEqual(singleBytes.length + 64_000);
  });

  it('loads a sharded checkpoint from nginx by its index URL, bitwise equal', async () => {
    const progress: LoadProgress[] = [];
    const model = await loadLayersModelFromSafetensors(
      tf,
      new URL(`${nginx.url}/sharded/model.safetensors.index.json`),
      { onProgress: (step) => progress.push(step) },
    );
    await expectSameWeights(model);
    model.dispose();
    expect(progress.map((step) => step.loadedBytes)).toEqual(
      Array.from({ length: LAYERS }, (_, index) => (index + 1) * LAYER_BYTES),
    );
  });

  it('loads a sharded checkpoint from disk by its index path, bitwise equal', async () => {
    const model = await loadFromPath(
      tf,
      join(nginx.root, 'sharded', 'model.safetensors.index.json'),
    );
    await expectSameWeights(model);
    model.dispose();
  });

  it('refuses shards of two saves mixed under one index, before reading any weight', async () => {
    // Another save of the same architecture (other weights): same shard names, another token.
    const original = decodeSafetensors(singleBytes);
    const other = {
      metadata: original.metadata,
      tensors: new Map(
        [...original.tensors].map(([name, tensor]) => [
          name,
          { ...tensor, data: tensor.data.map((byte) => byte ^ 1) },
        ]),
      ),
    };
    const mixed = join(nginx.root, 'mixed');
    await writeShardedSafetensors(decodeSafetensors(singleBytes), mixed, {
      maxShardSize: 2 * LAYER_BYTES,
    });
    const otherFolder = join(nginx.root, 'other-save');
    await writeShardedSafetensors(other, otherFolder, { maxShardSize: 2 * LAYER_BYTES });
    const shard = (await readdir(mixed)).filter((name) => name.endsWith('.safetensors')).sort()[1]!;
    await copyFile(join(otherFolder, shard), join(mixed, shard));
    const before = tf.memory().numTensors;
    const error = await loadLayersModelFromSafetensors(
      tf,
      `${nginx.url}/mixed/model.safetensors.index.json`,
    ).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'SafetensorsError', code: 'SAFETENSORS_INDEX_MISMATCH' });
    expect((error as Error).message).toContain(shard);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a lone index given as bytes: its shards cannot be reached', async () => {
    const index = new Uint8Array(
      await readFile(join(nginx.root, 'sharded', 'model.safetensors.index.json')),
    );
    const error = await loadLayersModelFromSafetensors(
      tf,
      bytesSource(index, 'model.safetensors.index.json'),
    ).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'SafetensorsIOError', code: 'TFJS_IO_CANNOT_OPEN' });
    expect((error as Error).message).toContain('lone file');
  });

  it('a connection that keeps dropping mid-stream: typed error, no model, no tensor left', async () => {
    const before = tf.memory().numTensors;
    const start = proxy.records.length;
    // The opening request goes through; every later one is reset after 1000 body bytes.
    proxy.setPlan(({ index }) => (index > start ? { kind: 'reset', afterBytes: 1000 } : undefined));
    try {
      const error = await loadLayersModelFromSafetensors(tf, `${proxy.url}/model.safetensors`, {
        http: { retries: 2, retryDelay: 0 },
      }).catch((caught: unknown) => caught);
      expect(ByteSourceError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ code: 'SOURCE_READ_FAILED' });
      expect((error as ByteSourceError).message).toContain('model.safetensors');
      expect((error as ByteSourceError).byteOffset).toBeGreaterThan(0);
    } finally {
      proxy.setPlan(undefined);
    }
    // The half-loaded model was disposed: the tensors it had (placeholders, assigned layers)
    // are gone.
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a file replaced on the server mid-stream: SOURCE_CHANGED, never weights of two versions', async () => {
    const before = tf.memory().numTensors;
    const start = proxy.records.length;
    // From the third request on (after the opening one and one layer), the server has the new file.
    proxy.setPlan(({ index }) =>
      index >= start + 2 ? { kind: 'serve-path', path: '/replaced.safetensors' } : undefined,
    );
    try {
      const error = await loadLayersModelFromSafetensors(
        tf,
        `${proxy.url}/model.safetensors`,
      ).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ name: 'ByteSourceError', code: 'SOURCE_CHANGED' });
    } finally {
      proxy.setPlan(undefined);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
