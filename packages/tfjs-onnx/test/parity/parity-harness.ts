import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { createCheckpoint, encodeSafetensors } from '@reprokit/core';
import { tfjsCheckpoint } from '@reprokit/tfjs';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as ort from 'onnxruntime-node';
import { exportToOnnx } from '../../src/index.js';

export { ort, tf };

let wasmReady: Promise<boolean> | undefined;

/** Register the wasm backend once per test file (loading it takes about a second). */
export function loadBackends(): Promise<boolean> {
  wasmReady ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasmDir = dirname(
      require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'),
    );
    setWasmPaths(`${wasmDir}/`);
    const ok = await tf.setBackend('wasm');
    await tf.setBackend('cpu');
    return ok;
  })();
  return wasmReady;
}

/** Deterministic pseudo-random numbers in [-1, 1) (a 32-bit LCG: fixtures, not statistics). */
export function seededValues(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 31 - 1;
  }
  return out;
}

/**
 * Give every weight seeded values. Variances get positive values (BatchNorm), other weights
 * values in [-scale, scale).
 */
export function setSeededWeights(model: tf.LayersModel, seed: number, scale = 0.5): void {
  model.weights.forEach((weight, i) => {
    const shape = weight.shape as number[];
    const size = shape.reduce((a, b) => a * b, 1);
    const values = seededValues(size, seed * 7919 + i * 104729);
    const positive = /variance/.test(weight.originalName);
    const data = values.map((v) => (positive ? 0.5 + Math.abs(v) : v * scale));
    (weight.read() as tf.Variable).assign(tf.tensor(data, shape, 'float32'));
  });
}

export interface ParityInput {
  readonly shape: readonly number[];
  /** Integer ids in [0, maxId) instead of floats (Embedding). */
  readonly maxId?: number;
}

export interface ParityResult {
  /** Largest |tfjs - ORT| over outputs, divided by max(1, max |tfjs|), per comparison. */
  readonly diffs: Record<string, number>;
}

function makeInput(spec: ParityInput, seed: number): Float32Array {
  const size = spec.shape.reduce((a, b) => a * b, 1);
  const values = seededValues(size, seed);
  return spec.maxId === undefined
    ? values.map((v) => v * 2)
    : values.map((v) => Math.floor(((v + 1) / 2) * spec.maxId!));
}

function scaledDiff(expected: Float32Array, actual: Float32Array): number {
  if (expected.length !== actual.length) return Number.POSITIVE_INFINITY;
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(expected[i]! - actual[i]!));
    if (Number.isNaN(actual[i]!) !== Number.isNaN(expected[i]!)) return Number.POSITIVE_INFINITY;
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return diff / scale;
}

async function predictTfjs(
  model: tf.LayersModel,
  inputs: Float32Array[],
  specs: readonly ParityInput[],
) {
  const tensors = inputs.map((data, i) => tf.tensor(data, [...specs[i]!.shape], 'float32'));
  const raw = model.predict(tensors.length === 1 ? tensors[0]! : tensors);
  const list = Array.isArray(raw) ? raw : [raw];
  const out = await Promise.all(list.map(async (t) => new Float32Array(await t.data())));
  for (const t of [...tensors, ...list]) t.dispose();
  return out;
}

async function predictOrt(
  bytes: Uint8Array,
  inputs: Float32Array[],
  specs: readonly ParityInput[],
  externalData?: { path: string; data: Uint8Array },
) {
  const session = await ort.InferenceSession.create(bytes, {
    ...(externalData === undefined ? {} : { externalData: [externalData] }),
  });
  const feeds: Record<string, ort.Tensor> = {};
  session.inputNames.forEach((name, i) => {
    feeds[name] = new ort.Tensor('float32', inputs[i]!, [...specs[i]!.shape]);
  });
  const results = await session.run(feeds);
  const out = session.outputNames.map(
    (name) => new Float32Array(results[name]!.data as Float32Array),
  );
  await session.release();
  return out;
}

/**
 * Export `model` in shared-file mode (ORT reading the tfjs checkpoint's safetensors bytes as
 * external data) and embedded mode, and compare ORT's outputs with tfjs on cpu and wasm.
 */
export async function measureParity(
  model: tf.LayersModel,
  specs: readonly ParityInput[],
  options: { seed?: number; opset?: number; backends?: readonly string[] } = {},
): Promise<ParityResult> {
  const seed = options.seed ?? 1;
  const inputs = specs.map((spec, i) => makeInput(spec, seed * 31 + i));
  const checkpoint = await tfjsCheckpoint(tf).read(model);
  const safetensors = encodeSafetensors(createCheckpoint(checkpoint.tensors));
  const shared = await exportToOnnx(model, { opset: options.opset, safetensors });
  const embedded = await exportToOnnx(model, { opset: options.opset, weights: 'embedded' });
  const ortShared = await predictOrt(shared, inputs, specs, {
    path: 'model.safetensors',
    data: safetensors,
  });
  const ortEmbedded = await predictOrt(embedded, inputs, specs);
  const diffs: Record<string, number> = {};
  for (const backend of options.backends ?? ['cpu', 'wasm']) {
    await tf.setBackend(backend);
    const expected = await predictTfjs(model, inputs, specs);
    const compare = (label: string, actual: Float32Array[]) => {
      diffs[`${backend}/${label}`] =
        expected.length !== actual.length
          ? Number.POSITIVE_INFINITY
          : Math.max(...expected.map((e, i) => scaledDiff(e, actual[i]!)));
    };
    compare('shared', ortShared);
    compare('embedded', ortEmbedded);
  }
  await tf.setBackend('cpu');
  return { diffs };
}

export const TOLERANCE = 1e-5;

/** Every comparison (cpu and wasm, shared and embedded) within {@link TOLERANCE}. */
export async function expectParity(
  model: tf.LayersModel,
  specs: readonly ParityInput[],
  options: { seed?: number; opset?: number; backends?: readonly string[] } = {},
): Promise<Record<string, number>> {
  const { diffs } = await measureParity(model, specs, options);
  const failures = Object.entries(diffs).filter(([, diff]) => !(diff <= TOLERANCE));
  if (failures.length > 0) {
    throw new Error(`parity above ${TOLERANCE}: ${JSON.stringify(Object.fromEntries(failures))}`);
  }
  return diffs;
}

/** A Sequential model of `layers` with seeded weights. */
export function seededSequential(layers: tf.layers.Layer[], seed = 3): tf.LayersModel {
  const model = tf.sequential({ layers });
  setSeededWeights(model, seed);
  return model;
}
