import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fingerprint } from '@reprokit/core';
import { readSafetensors, writeSafetensors } from '@reprokit/core/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli, runBuiltCli } from './built-cli.js';
import { denseCheckpoint, denseOnnxTemplate, temporaryFolder } from './fixtures.js';

let folder: { path: string; cleanup: () => Promise<void> };
const file = (name: string) => join(folder.path, name);

beforeAll(async () => {
  requireBuiltCli();
  folder = await temporaryFolder();
  await writeSafetensors(denseCheckpoint(), file('source.safetensors'));
  await writeFile(file('template.onnx'), denseOnnxTemplate());
});
afterAll(() => folder.cleanup());

async function cliFingerprint(path: string): Promise<string> {
  const run = await runBuiltCli(['fingerprint', path]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return run.stdout.trim();
}

describe('safetensors -> tfjs -> onnx (template) -> safetensors', () => {
  it('keeps the fingerprint at every step and ends with the same tensors', async () => {
    const expected = fingerprint(denseCheckpoint());
    expect(await cliFingerprint(file('source.safetensors'))).toBe(expected);

    const toTfjs = await runBuiltCli(['convert', file('source.safetensors'), file('web')]);
    // The weights survive; metadata tfjs has no place for is named, not dropped silently.
    expect(toTfjs).toMatchObject({
      code: 0,
      stderr:
        'reprokit: note: tfjs-artifacts output has no place for this metadata: dropped 1 key(s): producer\n',
    });
    expect(await readdir(file('web'))).toContain('model.json');
    expect(await cliFingerprint(file('web'))).toBe(expected);

    const toOnnx = await runBuiltCli([
      'convert',
      file('web/model.json'),
      file('model.onnx'),
      '--template',
      file('template.onnx'),
    ]);
    expect(toOnnx).toMatchObject({ code: 0, stderr: '' });
    expect(await cliFingerprint(file('model.onnx'))).toBe(expected);

    const back = await runBuiltCli(['convert', file('model.onnx'), file('back.safetensors')]);
    expect(back).toMatchObject({ code: 0, stderr: '' });
    expect(await cliFingerprint(file('back.safetensors'))).toBe(expected);

    const roundTripped = await readSafetensors(file('back.safetensors'));
    const original = denseCheckpoint();
    for (const [name, tensor] of original.tensors) {
      expect(roundTripped.tensors.get(name)?.shape).toEqual(tensor.shape);
      expect(Buffer.from(roundTripped.tensors.get(name)!.data)).toEqual(Buffer.from(tensor.data));
    }
  });

  it('writes ONNX weights as external data in a safetensors file beside the model', async () => {
    const run = await runBuiltCli([
      'convert',
      file('source.safetensors'),
      file('external/model.onnx'),
      '--template',
      file('template.onnx'),
      '--external',
    ]);
    expect(run.code).toBe(0);
    expect((await readdir(file('external'))).sort()).toEqual(['model.onnx', 'model.safetensors']);
    // The external file is itself a valid safetensors checkpoint of the same weights.
    const beside = await readSafetensors(file('external/model.safetensors'));
    expect(fingerprint(beside)).toBe(fingerprint(denseCheckpoint()));
    expect(await cliFingerprint(file('external/model.onnx'))).toBe(fingerprint(denseCheckpoint()));
    // The model holds references, not the weights: it is smaller than the weights' bytes plus graph.
    const modelBytes = await readFile(file('external/model.onnx'));
    expect(
      modelBytes.includes(Buffer.from(denseCheckpoint().tensors.get('dense/kernel')!.data)),
    ).toBe(false);
  });

  it('writes and reads a sharded safetensors index', async () => {
    const run = await runBuiltCli([
      'convert',
      file('source.safetensors'),
      file('sharded/model.safetensors.index.json'),
      '--max-shard-size',
      '16',
    ]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const files = await readdir(file('sharded'));
    expect(files).toContain('model.safetensors.index.json');
    expect(files.filter((name) => name.endsWith('.safetensors')).length).toBeGreaterThan(1);
    expect(await cliFingerprint(file('sharded/model.safetensors.index.json'))).toBe(
      fingerprint(denseCheckpoint()),
    );
  });
});
