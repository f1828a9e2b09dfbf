/**
 * One measured run of safetensors-io.bench.ts, in its own process, on the built package:
 *   node safetensors-io-case.mjs <case> <folder>
 * `prepare` writes the model files the load cases read. Prints `{ ms, peakRssBytes,
 * rssBeforeBytes }` as JSON.
 */
import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  loadLayersModelFromSafetensors,
  safetensorsIO,
  saveLayersModelToSafetensors,
} from '@reprokit/tfjs/node';
import * as tf from '@tensorflow/tfjs';
import { measureOperation } from './measure-operation.mjs';

const LAYERS = 16;
const UNITS = 2048;
const [name, folder] = process.argv.slice(2);

const filesOf = (subfolder) => ({
  modelJson: join(folder, subfolder, 'model.json'),
  weightsBin: join(folder, subfolder, 'weights.bin'),
  safetensors: join(folder, subfolder, 'model.safetensors'),
});
/** Constant initializers (cheap to build); the model the save cases write. */
const constantInit = filesOf('constant-init');
/** tfjs' default initializers (glorotUniform kernels), which tfjs' load route runs on every load. */
const defaultInit = filesOf('default-init');
/** Where the save cases write, so the load files stay as prepared. */
const saved = filesOf('saved');

function buildModel(defaultInitializers) {
  return tf.sequential({
    layers: Array.from({ length: LAYERS }, (_, index) =>
      tf.layers.dense({
        units: UNITS,
        inputShape: index === 0 ? [UNITS] : undefined,
        ...(defaultInitializers
          ? {}
          : {
              kernelInitializer: tf.initializers.constant({ value: 0.001 * (index + 1) }),
              biasInitializer: 'ones',
            }),
      }),
    ),
  });
}

async function tfjsSave(model, durable, files) {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const { weightData, ...rest } = artifacts;
      const handle = await open(files.weightsBin, 'w');
      try {
        await handle.writeFile(new Uint8Array(weightData));
        // The same durability reprokit's atomic write gives (it also fsyncs).
        if (durable) await handle.sync();
      } finally {
        await handle.close();
      }
      await writeFile(
        files.modelJson,
        JSON.stringify({
          modelTopology: rest.modelTopology,
          format: rest.format,
          generatedBy: rest.generatedBy,
          convertedBy: rest.convertedBy,
          weightsManifest: [{ paths: ['weights.bin'], weights: rest.weightSpecs }],
        }),
      );
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}

async function tfjsLoad(files) {
  const modelJson = JSON.parse(await readFile(files.modelJson, 'utf8'));
  const weights = await readFile(files.weightsBin);
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest[0].weights,
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }),
  );
}

async function prepare() {
  for (const [files, defaultInitializers] of [
    [constantInit, false],
    [defaultInit, true],
  ]) {
    await mkdir(dirname(files.safetensors), { recursive: true });
    const model = buildModel(defaultInitializers);
    await tfjsSave(model, false, files);
    await saveLayersModelToSafetensors(model, files.safetensors);
    model.dispose();
  }
  await mkdir(dirname(saved.safetensors), { recursive: true });
}

const operations = {
  'tfjs-save': (model) => tfjsSave(model, false, saved),
  'tfjs-save-fsync': (model) => tfjsSave(model, true, saved),
  'safetensors-save': (model) => model.save(safetensorsIO(saved.safetensors)),
  'direct-save': (model) => saveLayersModelToSafetensors(model, saved.safetensors),
  'plain-read': () => readFile(constantInit.safetensors),
  'tfjs-load': () => tfjsLoad(constantInit),
  'safetensors-load': () => tf.loadLayersModel(safetensorsIO(constantInit.safetensors)),
  'direct-load': () => loadLayersModelFromSafetensors(tf, constantInit.safetensors),
  'tfjs-load-default-init': () => tfjsLoad(defaultInit),
  'safetensors-load-default-init': () => tf.loadLayersModel(safetensorsIO(defaultInit.safetensors)),
  'direct-load-default-init': () => loadLayersModelFromSafetensors(tf, defaultInit.safetensors),
};

await tf.setBackend('cpu');
if (name === 'prepare') {
  await prepare();
  process.stdout.write('{}\n');
} else {
  const operation = operations[name];
  if (operation === undefined) throw new Error(`unknown case ${name}`);
  const model = name.includes('-save') ? buildModel(false) : undefined;
  // What a load returns stays alive until the peak is read: that memory is the result.
  const { result, ms, peakRssBytes, rssBeforeBytes } = await measureOperation(() =>
    operation(model),
  );
  if (result === undefined && model === undefined) throw new Error(`${name} produced nothing`);
  process.stdout.write(`${JSON.stringify({ ms, peakRssBytes, rssBeforeBytes })}\n`);
}
