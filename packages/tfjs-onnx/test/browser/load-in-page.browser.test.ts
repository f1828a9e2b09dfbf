/**
 * A safetensors checkpoint loaded in a page, every way a page gets one: from an http URL (the
 * test server serves the file), a `Response`, a `Blob` and a dropped `File`; into tfjs through
 * the IOHandler (`tf.loadLayersModel(safetensorsIO(x))`) and the direct path
 * (`loadLayersModelFromSafetensors`), and into onnxruntime-web as the exported graph plus the
 * same safetensors bytes as `externalData` (the Uint8Array itself, and the URL). Chromium only.
 */
import { loadLayersModelFromSafetensors, safetensorsIO } from '@reprokit/tfjs';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { exportToOnnx } from '../../src/index.js';
import { ort } from './onnxruntime-web.js';

const SERVED_FILE = 'served-checkpoint.safetensors';
const inputValues = Float32Array.from({ length: 3 * 6 }, (_, index) => Math.sin(index + 1));

function buildModel(): tf.LayersModel {
  const input = tf.input({ shape: [6], name: 'features' });
  const hidden = tf.layers
    .dense({
      units: 16,
      activation: 'relu',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
      biasInitializer: tf.initializers.randomNormal({ seed: 2 }),
    })
    .apply(input) as tf.SymbolicTensor;
  const output = tf.layers
    .dense({ units: 4, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) })
    .apply(hidden) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output });
}

async function tfjsPrediction(model: tf.LayersModel): Promise<number[]> {
  const input = tf.tensor2d(inputValues, [3, 6]);
  const output = model.predict(input) as tf.Tensor;
  const values = Array.from(await output.data());
  input.dispose();
  output.dispose();
  model.dispose();
  return values;
}

async function ortPrediction(session: ort.InferenceSession): Promise<number[]> {
  const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', inputValues, [3, 6]) };
  const out = await session.run(feeds);
  const values = Array.from(out[session.outputNames[0]!]!.data as Float32Array);
  await session.release();
  return values;
}

function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let index = 0; index < bytes.length; index += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
  }
  return btoa(text);
}

describe('a safetensors checkpoint loaded in a page', () => {
  let bytes: Uint8Array<ArrayBuffer>;
  let expected: number[];
  let served: URL;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    const model = buildModel();
    await model.save(
      safetensorsIO({
        onSave: (saved) => {
          bytes = saved.slice();
        },
      }),
    );
    expected = await tfjsPrediction(model);
    // The test server (Vite) serves workspace files by absolute path under /@fs/, so a file
    // written beside this test (writeFile paths are relative to the package) has an http URL
    // of the page's origin.
    await commands.writeFile(`test/browser/${SERVED_FILE}`, toBase64(bytes), 'base64');
    const here = new URL(import.meta.url);
    served = new URL(`/@fs${new URL(SERVED_FILE, here).pathname}`, here.origin);
  });

  afterAll(async () => {
    await commands.removeFile(`test/browser/${SERVED_FILE}`);
  });

  it('the server gives back the same bytes', async () => {
    const response = await fetch(served);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);
  });

  // A Response can be read once: each route gets a fresh input.
  const inputs: Record<string, () => Promise<URL | Response | Blob | File>> = {
    'an http URL (read by ranges)': async () => served,
    'a Response from fetch': async () => fetch(served),
    'a Response made in the page': async () => new Response(bytes),
    'a Blob': async () => new Blob([bytes]),
    'a dropped File': async () => new File([bytes], 'model.safetensors'),
  };

  for (const [name, input] of Object.entries(inputs)) {
    it(`${name}: tfjs through the IOHandler and the direct path, bitwise`, async () => {
      const throughHandler = await tf.loadLayersModel(safetensorsIO(await input()));
      const direct = await loadLayersModelFromSafetensors(tf, await input());
      expect(await tfjsPrediction(throughHandler)).toEqual(expected);
      expect(await tfjsPrediction(direct)).toEqual(expected);
    });
  }

  it('onnxruntime-web: the graph plus the same bytes as externalData, in memory and by URL', async () => {
    // Shared mode: the graph's initializers point into this very safetensors file.
    const graph = await exportToOnnx(buildModel(), { safetensors: bytes });
    const inMemory = await ortPrediction(
      await ort.InferenceSession.create(graph, {
        externalData: [{ path: 'model.safetensors', data: bytes }], // the Uint8Array itself
      }),
    );
    const byUrl = await ortPrediction(
      await ort.InferenceSession.create(graph, {
        externalData: [{ path: 'model.safetensors', data: served.href }], // ORT fetches it
      }),
    );
    expect(byUrl).toEqual(inMemory);
    // ORT's wasm kernels and tfjs' cpu kernels differ in the last bits, not more.
    expect(inMemory).toHaveLength(expected.length);
    inMemory.forEach((value, index) => {
      expect(Math.abs(value - expected[index]!)).toBeLessThan(1e-5);
    });
  });
});
