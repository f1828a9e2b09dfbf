/**
 * One measured run of streaming-load.bench.ts, in its own process, on the built package:
 *   node streaming-load-case.mjs <case> <folder> <url>
 * `prepare` writes `<folder>/model.safetensors`, which nginx serves at `<url>`. Prints
 * `{ ms, peakRssBytes, rssBeforeBytes, peakArrayBuffersBytes, arrayBuffersBeforeBytes }`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadLayersModelFromSafetensors, saveLayersModelToSafetensors } from '@reprokit/tfjs/node';
import * as tf from '@tensorflow/tfjs';
import { measureOperation } from './measure-operation.mjs';

const LAYERS = 16;
const UNITS = 2048;
const [name, folder, url] = process.argv.slice(2);
const file = join(folder, 'model.safetensors');

// Sampled on a timer and after each layer: the highest `arrayBuffers` (ArrayBuffers and Node
// Buffers, where tensor bytes live on the cpu backend) seen during the load.
let peakArrayBuffersBytes = 0;
const sample = () => {
  const { arrayBuffers } = process.memoryUsage();
  if (arrayBuffers > peakArrayBuffersBytes) peakArrayBuffersBytes = arrayBuffers;
};
const onProgress = sample;

const operations = {
  // The whole-file loads: every byte in memory first, then the load from those bytes.
  'whole-url': async () => {
    const response = await fetch(url);
    const bytes = new Uint8Array(await response.arrayBuffer());
    sample();
    return loadLayersModelFromSafetensors(tf, bytes, { onProgress });
  },
  'whole-file': async () => {
    const bytes = await readFile(file);
    sample();
    return loadLayersModelFromSafetensors(tf, bytes, { onProgress });
  },
  // The streamed loads: layer by layer, by range, into the buffers the model keeps.
  'stream-url': () => loadLayersModelFromSafetensors(tf, url, { onProgress }),
  'stream-file': () => loadLayersModelFromSafetensors(tf, file, { onProgress }),
};

await tf.setBackend('cpu');
if (name === 'prepare') {
  const model = tf.sequential({
    layers: Array.from({ length: LAYERS }, (_, index) =>
      tf.layers.dense({
        units: UNITS,
        inputShape: index === 0 ? [UNITS] : undefined,
        kernelInitializer: tf.initializers.constant({ value: 0.001 * (index + 1) }),
        biasInitializer: 'ones',
      }),
    ),
  });
  await saveLayersModelToSafetensors(model, file);
  model.dispose();
  process.stdout.write('{}\n');
} else {
  const operation = operations[name];
  if (operation === undefined) throw new Error(`unknown case ${name}`);
  const arrayBuffersBeforeBytes = process.memoryUsage().arrayBuffers;
  const timer = setInterval(sample, 2);
  // The model stays alive until the peaks are read: that memory is the result.
  const { result: model, ms, peakRssBytes, rssBeforeBytes } = await measureOperation(operation);
  clearInterval(timer);
  sample();
  if (model.layers.length !== LAYERS) throw new Error(`${name}: wrong model`);
  process.stdout.write(
    `${JSON.stringify({ ms, peakRssBytes, rssBeforeBytes, peakArrayBuffersBytes, arrayBuffersBeforeBytes })}\n`,
  );
}
