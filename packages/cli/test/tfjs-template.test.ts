import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fingerprint, toTypedArray } from '@reprokit/core';
import { readSafetensors, writeSafetensors } from '@reprokit/core/node';
import { tfjsCheckpoint } from '@reprokit/tfjs';
import { readTfjsArtifacts } from '@reprokit/tfjs/node';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli, runBuiltCli } from './built-cli.js';
import { gemmOnnxModel, temporaryFolder } from './fixtures.js';

async function cliFingerprint(path: string): Promise<string> {
  const run = await runBuiltCli(['fingerprint', path]);
  expect(run).toMatchObject({ code: 0, stderr: '' });
  return run.stdout.trim();
}

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
  // The fixtures build tfjs models here; PROD keeps the cpu backend's Node greeting quiet.
  tf.env().set('PROD', true);
  folder = await temporaryFolder();
  await writeFile(file('linear.onnx'), gemmOnnxModel(weight, bias));
  const convolutional = tf.sequential({
    layers: [
      tf.layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [6, 6, 1] }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 2 }),
    ],
  });
  await writeFile(
    file('conv-template.json'),
    JSON.stringify({ modelTopology: convolutional.toJSON(null, false), weightsManifest: [] }),
  );
  await writeSafetensors(await tfjsCheckpoint(tf).read(convolutional), file('conv.safetensors'));
  convolutional.dispose();
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
      'unknown mapping preset "keras-to-jax"; known presets: onnx-to-keras (onnx -> tfjs-artifacts)',
    );
  });
});

describe('tfjs weights with a topology', () => {
  it('--template model.json writes a loadable model.json that keeps the fingerprint', async () => {
    const run = await runBuiltCli([
      'convert',
      file('conv.safetensors'),
      file('conv-web'),
      '--template',
      file('conv-template.json'),
    ]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const modelJson = JSON.parse(await readFile(file('conv-web/model.json'), 'utf8'));
    expect(
      modelJson.modelTopology.config.layers.map(
        (layer: { class_name: string }) => layer.class_name,
      ),
    ).toEqual(['Conv2D', 'Flatten', 'Dense']);
    const loaded = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: modelJson.modelTopology,
        weightSpecs: modelJson.weightsManifest[0].weights,
        weightData: new Uint8Array(await readFile(file('conv-web/group1-shard1of1.bin'))).buffer,
      }),
    );
    const reread = await tfjsCheckpoint(tf).read(loaded);
    loaded.dispose();
    expect(fingerprint(reread)).toBe(fingerprint(await readSafetensors(file('conv.safetensors'))));
  });

  it('are exported to ONNX without a template, embedded or external, keeping the fingerprint', async () => {
    const expected = fingerprint(await readSafetensors(file('conv.safetensors')));
    const embedded = await runBuiltCli(['convert', file('conv-web'), file('exported.onnx')]);
    expect(embedded).toMatchObject({ code: 0, stderr: '' });
    expect(await cliFingerprint(file('exported.onnx'))).toBe(expected);
    const external = await runBuiltCli([
      'convert',
      file('conv-web/model.json'),
      file('exported/model.onnx'),
      '--external',
    ]);
    expect(external).toMatchObject({ code: 0, stderr: '' });
    expect(await cliFingerprint(file('exported/model.onnx'))).toBe(expected);
    expect(fingerprint(await readSafetensors(file('exported/model.safetensors')))).toBe(expected);
  });

  it('a safetensors file converted from tfjs keeps the topology and exports too', async () => {
    const toSafetensors = await runBuiltCli([
      'convert',
      file('conv-web'),
      file('with-topology.safetensors'),
    ]);
    expect(toSafetensors.code).toBe(0);
    const run = await runBuiltCli([
      'convert',
      file('with-topology.safetensors'),
      file('from-st.onnx'),
    ]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(await cliFingerprint(file('from-st.onnx'))).toBe(
      fingerprint(await readSafetensors(file('conv.safetensors'))),
    );
  });

  it('weights without a topology still need --template for ONNX', async () => {
    const run = await runBuiltCli(['convert', file('conv.safetensors'), file('no-graph.onnx')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('an ONNX output needs a graph: pass --template model.onnx');
  });
});
