/**
 * The code the benchmark page runs, bundled by esbuild (`build-page.ts`) and served by nginx
 * beside the fixtures. It registers `window.reprokitBench`; the harness (Node, Playwright) calls
 * `setup` once per fresh page (untimed), then `run` for one measured case. The loaded model or
 * session stays referenced from the page until it closes, so what a load keeps is in the heap
 * when the harness reads it.
 */
import { fingerprint, httpSource } from '@reprokit/core';
import { createSession } from '@reprokit/onnxruntime';
import { loadLayersModelFromSafetensors, safetensorsIO, tfjsCheckpoint } from '@reprokit/tfjs';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as ort from 'onnxruntime-web/wasm';
import type { CaseName, CaseResult, PageSetup } from './bench-protocol.js';

let kept: unknown;

async function setup(options: PageSetup): Promise<string> {
  if (options.tfjsBackend === 'wasm') setWasmPaths('/assets/tfjs/');
  await tf.setBackend(options.tfjsBackend);
  await tf.ready();
  ort.env.wasm.wasmPaths = '/assets/ort/';
  // The page is not cross-origin isolated: no SharedArrayBuffer, so one thread.
  ort.env.wasm.numThreads = 1;
  if (options.startOnnxruntime) {
    // Compile and start ORT's WebAssembly now, so measured runs time the session alone.
    const warmup = await ort.InferenceSession.create(await fetchBytes('/warmup.onnx'));
    await warmup.release();
  }
  return tf.getBackend();
}

/** Bytes of a URL on this server, as `fetch` gives them. */
async function fetchBytes(path: string): Promise<Uint8Array> {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** An absolute URL on the page's server (the package's tsconfig has no DOM types). */
const absolute = (path: string) =>
  new URL(path, (globalThis as unknown as { location: { href: string } }).location.href).href;

const loads: Record<CaseName, () => Promise<tf.LayersModel | ort.InferenceSession>> = {
  // tfjs' own route: model.json, then every shard (in parallel), concatenated, then the model
  // is built with its initializers run, then the weights are set.
  'tfjs-load-layers-model': () => tf.loadLayersModel(absolute('/tfjs/model.json')),
  // reprokit's direct path from a URL (byte-range reads of each tensor).
  'reprokit-direct': () => loadLayersModelFromSafetensors(tf, absolute('/model.safetensors')),
  // reprokit's IOHandler inside tfjs' loadLayersModel, on an HTTP byte source.
  'reprokit-io-handler': async () => {
    const source = await httpSource(absolute('/model.safetensors'));
    try {
      return await tf.loadLayersModel(safetensorsIO(source));
    } finally {
      await source.close();
    }
  },
  // onnxruntime-web's own route: one model with its weights inside.
  'ort-embedded': async () => ort.InferenceSession.create(await fetchBytes('/embedded.onnx')),
  // The graph plus the safetensors file handed to ORT as it is (`externalData` from memory).
  'ort-external-data': async () => {
    const [graph, weights] = await Promise.all([
      fetchBytes('/graph.onnx'),
      fetchBytes('/model.safetensors'),
    ]);
    return ort.InferenceSession.create(graph, {
      externalData: [{ path: 'model.safetensors', data: weights }],
    });
  },
  // The same through reprokit's createSession (checks the file against the graph first).
  'reprokit-create-session': async () => {
    const [graph, weights] = await Promise.all([
      fetchBytes('/graph.onnx'),
      fetchBytes('/model.safetensors'),
    ]);
    return createSession(ort, graph, { checkpoint: weights });
  },
};

/** What the harness compares against the fixtures: not timed. */
async function check(
  loaded: tf.LayersModel | ort.InferenceSession,
  input: number[],
): Promise<CaseResult['check']> {
  if (loaded instanceof tf.LayersModel) {
    const output = tf.tidy(
      () => loaded.predict(tf.tensor2d(input, [1, input.length])) as tf.Tensor,
    );
    const prediction = Array.from(await output.data());
    output.dispose();
    return { fingerprint: fingerprint(await tfjsCheckpoint(tf).read(loaded)), prediction };
  }
  const feeds = {
    [loaded.inputNames[0]!]: new ort.Tensor('float32', Float32Array.from(input), [1, input.length]),
  };
  const outputs = await loaded.run(feeds);
  const output = outputs[loaded.outputNames[0]!]!;
  return { prediction: Array.from(output.data as Float32Array) };
}

/**
 * The size of the wasm backend's memory, where its tensors live (V8's heap statistics leave
 * WebAssembly memories out). It only grows, so its size after a load is its peak.
 */
function tfjsWasmMemoryBytes(): number {
  if (tf.getBackend() !== 'wasm') return 0;
  return (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.byteLength;
}

async function run(name: CaseName, verifyInput?: number[]): Promise<CaseResult> {
  const load = loads[name];
  if (load === undefined) throw new Error(`unknown case ${name}`);
  const tfjsWasmMemoryBeforeBytes = tfjsWasmMemoryBytes();
  const start = performance.now();
  const loaded = await load();
  const ms = performance.now() - start;
  kept = loaded;
  return {
    ms,
    tfjsWasmMemoryBeforeBytes,
    tfjsWasmMemoryBytes: tfjsWasmMemoryBytes(),
    ...(verifyInput === undefined ? {} : { check: await check(loaded, verifyInput) }),
  };
}

Object.assign(globalThis, { reprokitBench: { setup, run, kept: () => kept } });
