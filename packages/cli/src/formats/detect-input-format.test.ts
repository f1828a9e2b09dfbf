import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCheckpoint, encodeSafetensors, fromTypedArray } from '@reprokit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectInputFormat } from './detect-input-format.js';
import { resolveOutputTarget } from './resolve-output-target.js';

let folder: string;
const at = (name: string) => join(folder, name);

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'reprokit-cli-detect-'));
  await mkdir(at('web'));
  await writeFile(at('web/model.json'), '{"weightsManifest": []}');
  await writeFile(at('manifest.json'), '[]');
  await writeFile(at('model.safetensors.index.json'), '{"weight_map": {}}');
  await writeFile(at('index.json'), '{"metadata": {}, "weight_map": {}}');
  await writeFile(
    at('weights.bin'),
    encodeSafetensors(createCheckpoint([['w', fromTypedArray('F32', [1], [1])]])),
  );
  await writeFile(at('other.bin'), 'no header here');
  await mkdir(at('empty'));
});
afterAll(() => rm(folder, { recursive: true, force: true }));

describe('detectInputFormat', () => {
  it.each([
    ['web', 'tfjs', 'web/model.json'],
    ['web/model.json', 'tfjs', 'web/model.json'],
    ['manifest.json', 'tfjs-manifest', 'manifest.json'],
    ['model.safetensors.index.json', 'safetensors-sharded', 'model.safetensors.index.json'],
    ['index.json', 'safetensors-sharded', 'index.json'],
    ['weights.bin', 'safetensors', 'weights.bin'],
  ])('%s is %s', async (name, format, path) => {
    expect(await detectInputFormat(at(name))).toEqual({ format, path: at(path) });
  });

  it('refuses unknown files and folders without model.json', async () => {
    await expect(detectInputFormat(at('other.bin'))).rejects.toMatchObject({
      code: 'CLI_UNKNOWN_FORMAT',
    });
    await expect(detectInputFormat(at('empty'))).rejects.toMatchObject({
      code: 'CLI_UNKNOWN_FORMAT',
    });
  });
});

describe('resolveOutputTarget', () => {
  it.each([
    ['out.safetensors', 'safetensors', 'out.safetensors'],
    ['out/model.safetensors.index.json', 'safetensors-sharded', 'out/model.safetensors.index.json'],
    ['out.onnx', 'onnx', 'out.onnx'],
    ['out/model.json', 'tfjs', 'out/model.json'],
    ['new-folder', 'tfjs', 'new-folder/model.json'],
    ['empty', 'tfjs', 'empty/model.json'],
  ])('%s is %s', async (name, format, path) => {
    expect(await resolveOutputTarget(at(name))).toEqual({ format, path: at(path) });
  });

  it('refuses an extension it does not know', async () => {
    await expect(resolveOutputTarget(at('weights.bin'))).rejects.toMatchObject({
      code: 'CLI_UNKNOWN_FORMAT',
    });
  });
});
