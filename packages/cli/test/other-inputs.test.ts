import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fingerprint, toTypedArray } from '@reprokit/core';
import { readSafetensors, writeShardedSafetensors } from '@reprokit/core/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli, runBuiltCli } from './built-cli.js';
import { denseCheckpoint, temporaryFolder } from './fixtures.js';

let folder: { path: string; cleanup: () => Promise<void> };
const file = (name: string) => join(folder.path, name);

beforeAll(async () => {
  requireBuiltCli();
  folder = await temporaryFolder();
  await mkdir(file('sharded'));
  await writeShardedSafetensors(denseCheckpoint(), file('sharded'), { maxShardSize: 16 });
  await mkdir(file('escape'));
  await writeFile(
    file('escape/model.safetensors.index.json'),
    JSON.stringify({ weight_map: { w: '../outside.safetensors' } }),
  );
  // A quantized tfjs weight, as tensorflowjs_converter --quantize_uint8 writes it:
  // value = min + scale * byte.
  await mkdir(file('quantized'));
  await writeFile(
    file('quantized/model.json'),
    JSON.stringify({
      format: 'graph-model',
      weightsManifest: [
        {
          paths: ['group1-shard1of1.bin'],
          weights: [
            {
              name: 'q',
              shape: [4],
              dtype: 'float32',
              quantization: { dtype: 'uint8', scale: 0.5, min: -1 },
            },
          ],
        },
      ],
    }),
  );
  await writeFile(file('quantized/group1-shard1of1.bin'), Uint8Array.from([0, 1, 2, 3]));
  // A bare weights manifest beside the shards of a tfjs conversion.
  const toTfjs = await runBuiltCli([
    'convert',
    file('sharded/model.safetensors.index.json'),
    file('web'),
  ]);
  expect(toTfjs.code).toBe(0);
  const modelJson = JSON.parse(await readFile(file('web/model.json'), 'utf8'));
  await writeFile(file('web/weights_manifest.json'), JSON.stringify(modelJson.weightsManifest));
});
afterAll(() => folder.cleanup());

describe('sharded safetensors input', () => {
  it('inspects every shard from its header, in weight_map order', async () => {
    const run = await runBuiltCli([
      'inspect',
      file('sharded/model.safetensors.index.json'),
      '--json',
    ]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const document = JSON.parse(run.stdout);
    expect(document.format).toBe('safetensors-sharded');
    expect(document.tensors.map((tensor: { name: string }) => tensor.name)).toEqual([
      'dense/bias',
      'dense/kernel',
    ]);
    expect(document.metadata).toEqual({ producer: 'reprokit-cli-test' });
    expect(document.fingerprint).toBeNull();
  });

  it('refuses an index whose shard points outside its folder', async () => {
    const run = await runBuiltCli(['inspect', file('escape/model.safetensors.index.json')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'shard "../outside.safetensors" is not a plain file name in the index\'s folder',
    );
  });
});

describe('tfjs inputs', () => {
  it('reads a bare weights-manifest array with the same fingerprint', async () => {
    const run = await runBuiltCli([
      'inspect',
      file('web/weights_manifest.json'),
      '--json',
      '--fingerprint',
    ]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const document = JSON.parse(run.stdout);
    expect(document.format).toBe('tfjs-artifacts');
    expect(document.fingerprint).toBe(fingerprint(denseCheckpoint()));
  });

  it('dequantizes uint8-quantized weights', async () => {
    const inspect = JSON.parse(
      (await runBuiltCli(['inspect', file('quantized'), '--json'])).stdout,
    );
    expect(inspect.tensors).toEqual([{ name: 'q', dtype: 'F32', shape: [4], bytes: 16 }]);
    const run = await runBuiltCli(['convert', file('quantized'), file('dequantized.safetensors')]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const checkpoint = await readSafetensors(file('dequantized.safetensors'));
    expect([...toTypedArray(checkpoint.tensors.get('q')!)]).toEqual([-1, -0.5, 0, 0.5]);
  });
});
