import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toTypedArray } from '@reprokit/core';
import { readTfjsArtifacts } from '@reprokit/tfjs';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli, runBuiltCli } from './built-cli.js';
import { gemmOnnxModel, temporaryFolder } from './fixtures.js';

let folder: { path: string; cleanup: () => Promise<void> };
const file = (name: string) => join(folder.path, name);

// PyTorch Linear(3 -> 2): weight [out=2, in=3].
const weight = [
  [0.1, 0.2, 0.3],
  [-1, -2, -3],
];
const bias = [0.5, -0.5];

beforeAll(async () => {
  requireBuiltCli();
  folder = await temporaryFolder();
  await writeFile(file('linear.onnx'), gemmOnnxModel(weight, bias));
  // The tfjs model the weights go into: same architecture, Keras layout.
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
  await writeFile(
    file('template.json'),
    JSON.stringify({ modelTopology: model.toJSON(null, false), weightsManifest: [] }),
  );
  model.dispose();
});
afterAll(() => folder.cleanup());

describe('convert --mapping onnx-to-keras', () => {
  it('transposes the PyTorch [out,in] weight into a Keras [in,out] kernel and keeps the topology', async () => {
    const run = await runBuiltCli([
      'convert',
      file('linear.onnx'),
      file('web'),
      '--mapping',
      'onnx-to-keras',
      '--template',
      file('template.json'),
    ]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const checkpoint = await readTfjsArtifacts(file('web/model.json'));
    const kernel = checkpoint.tensors.get('dense/kernel')!;
    expect(kernel.shape).toEqual([3, 2]);
    expect([...toTypedArray(kernel)]).toEqual(
      [0.1, -1, 0.2, -2, 0.3, -3].map((value) => Math.fround(value)),
    );
    expect([...toTypedArray(checkpoint.tensors.get('dense/bias')!)]).toEqual([0.5, -0.5]);
    const modelJson = JSON.parse(await readFile(file('web/model.json'), 'utf8'));
    expect(modelJson.modelTopology.config.layers[0].class_name).toBe('Dense');
  });

  it('without the preset the names do not fit the template, and every problem is listed', async () => {
    const run = await runBuiltCli([
      'convert',
      file('linear.onnx'),
      file('unmapped'),
      '--template',
      file('template.json'),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('missing "dense/kernel"');
    expect(run.stderr).toContain('unexpected "fc.weight"');
  });

  it('an unknown preset lists the known ones', async () => {
    const run = await runBuiltCli([
      'convert',
      file('linear.onnx'),
      file('web2'),
      '--mapping',
      'keras-to-jax',
      '--template',
      file('template.json'),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'unknown mapping preset "keras-to-jax"; known presets: onnx-to-keras (onnx -> tfjs)',
    );
  });
});
