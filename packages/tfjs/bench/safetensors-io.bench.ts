/**
 * Save and load a model with 256 MiB of weights through `safetensorsIO` against tfjs' own route
 * (`tf.io.withSaveHandler` writing model.json + weights.bin; `tf.loadLayersModel(tf.io.fromMemory)`
 * after reading them), plus the direct `loadLayersModelFromSafetensors` and a plain read of the
 * same bytes. Every case runs in a fresh child process so its peak RSS is its own; each child
 * times the operation 3 times (median) and reports `process.resourceUsage().maxRSS`.
 *
 * Run: npx -y pnpm@10.34.9 --filter @reprokit/tfjs bench
 */
import { spawnSync } from 'node:child_process';
import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import {
  loadLayersModelFromSafetensors,
  safetensorsIO,
  saveLayersModelToSafetensors,
} from '../src/node/index.js';

const LAYERS = 16;
const UNITS = 2048;
const WEIGHT_BYTES = LAYERS * (UNITS * UNITS + UNITS) * 4;
const folder = join(tmpdir(), 'reprokit-tfjs-bench');
const paths = {
  modelJson: join(folder, 'model.json'),
  weightsBin: join(folder, 'weights.bin'),
  safetensors: join(folder, 'model.safetensors'),
};
/** The same files for a model whose topology keeps tfjs' default (random) initializers. */
const defaultInitPaths = {
  modelJson: join(folder, 'default-init', 'model.json'),
  weightsBin: join(folder, 'default-init', 'weights.bin'),
  safetensors: join(folder, 'default-init', 'model.safetensors'),
};
const REPEATS = 5;

type CaseName =
  | 'tfjs-save'
  | 'tfjs-save-fsync'
  | 'direct-save'
  | 'safetensors-save'
  | 'plain-read'
  | 'tfjs-load'
  | 'safetensors-load'
  | 'direct-load'
  | 'prepare-default-init'
  | 'tfjs-load-default-init'
  | 'safetensors-load-default-init'
  | 'direct-load-default-init';

interface CaseResult {
  name: CaseName;
  medianMs: number;
  peakRssBytes: number;
}

function buildModel(defaultInitializers = false): tf.Sequential {
  // Constant initializers keep building cheap; the default-init variant keeps tfjs' own
  // (glorotNormal kernels), which tfjs' load route runs again on every load.
  return tf.sequential({
    layers: Array.from({ length: LAYERS }, (_, index) =>
      tf.layers.dense({
        units: UNITS,
        inputShape: index === 0 ? [UNITS] : undefined,
        ...(defaultInitializers
          ? {}
          : {
              kernelInitializer: tf.initializers.constant({ value: 0.001 * (index + 1) }),
              biasInitializer: 'ones' as const,
            }),
      }),
    ),
  });
}

async function tfjsSave(model: tf.LayersModel, durable: boolean, files = paths): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const { weightData, ...rest } = artifacts;
      const handle = await open(files.weightsBin, 'w');
      try {
        await handle.writeFile(new Uint8Array(weightData as ArrayBuffer));
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

async function tfjsLoad(files = paths): Promise<tf.LayersModel> {
  const modelJson = JSON.parse(await readFile(files.modelJson, 'utf8'));
  const weights = await readFile(files.weightsBin);
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest[0].weights,
      weightData: weights.buffer.slice(
        weights.byteOffset,
        weights.byteOffset + weights.byteLength,
      ) as ArrayBuffer,
    }),
  );
}

async function runCase(name: CaseName): Promise<CaseResult> {
  await tf.setBackend('cpu');
  if (name === 'prepare-default-init') {
    await mkdir(dirname(defaultInitPaths.safetensors), { recursive: true });
    const model = buildModel(true);
    await tfjsSave(model, false, defaultInitPaths);
    await saveLayersModelToSafetensors(model, defaultInitPaths.safetensors);
    return { name, medianMs: 0, peakRssBytes: 0 };
  }
  const model = name.includes('-save') ? buildModel() : undefined;
  const times: number[] = [];
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    globalThis.gc?.();
    const start = performance.now();
    switch (name) {
      case 'tfjs-save':
        await tfjsSave(model!, false);
        break;
      case 'tfjs-save-fsync':
        await tfjsSave(model!, true);
        break;
      case 'direct-save':
        await saveLayersModelToSafetensors(model!, paths.safetensors);
        break;
      case 'safetensors-save':
        await model!.save(safetensorsIO(paths.safetensors));
        break;
      case 'plain-read':
        await readFile(paths.safetensors);
        break;
      case 'tfjs-load':
        (await tfjsLoad()).dispose();
        break;
      case 'safetensors-load':
        (await tf.loadLayersModel(safetensorsIO(paths.safetensors))).dispose();
        break;
      case 'direct-load':
        (await loadLayersModelFromSafetensors(tf, paths.safetensors)).dispose();
        break;
      case 'tfjs-load-default-init':
        (await tfjsLoad(defaultInitPaths)).dispose();
        break;
      case 'safetensors-load-default-init':
        (await tf.loadLayersModel(safetensorsIO(defaultInitPaths.safetensors))).dispose();
        break;
      case 'direct-load-default-init':
        (await loadLayersModelFromSafetensors(tf, defaultInitPaths.safetensors)).dispose();
        break;
    }
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return {
    name,
    medianMs: times[Math.floor(times.length / 2)]!,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

function inChild(name: CaseName): CaseResult {
  const result = spawnSync(
    process.execPath,
    [
      '--conditions=@reprokit/source',
      '--expose-gc',
      '--import',
      'tsx',
      fileURLToPath(import.meta.url),
      name,
    ],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  if (result.status !== 0) throw new Error(`${name} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as CaseResult;
}

const caseArgument = process.argv[2] as CaseName | undefined;
if (caseArgument !== undefined) {
  const result = await runCase(caseArgument);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  await mkdir(folder, { recursive: true });
  try {
    const results = new Map<CaseName, CaseResult>();
    for (const name of [
      'tfjs-save',
      'tfjs-save-fsync',
      'safetensors-save',
      'direct-save',
      'plain-read',
      'tfjs-load',
      'safetensors-load',
      'direct-load',
      'prepare-default-init',
      'tfjs-load-default-init',
      'safetensors-load-default-init',
      'direct-load-default-init',
    ] as const) {
      results.set(name, inChild(name));
    }
    const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
    const row = (label: string, baseline: CaseName, candidate: CaseName) => {
      const b = results.get(baseline)!;
      const c = results.get(candidate)!;
      return `| ${label} | ${b.medianMs.toFixed(0)} ms | ${c.medianMs.toFixed(0)} ms | ${(b.medianMs / c.medianMs).toFixed(2)}x | ${mb(b.peakRssBytes)} (${(b.peakRssBytes / WEIGHT_BYTES).toFixed(2)}x) | ${mb(c.peakRssBytes)} (${(c.peakRssBytes / WEIGHT_BYTES).toFixed(2)}x) |`;
    };
    console.log(
      `weights: ${mb(WEIGHT_BYTES)} (${LAYERS} Dense ${UNITS}x${UNITS}), cpu backend, median of ${REPEATS}, peak RSS per case in a fresh process`,
    );
    console.log(
      '| operation | baseline (tfjs route) | candidate | speed-up | baseline peak RSS (x weights) | candidate peak RSS (x weights) |',
    );
    console.log('|---|---|---|---|---|---|');
    console.log(row('save: withSaveHandler -> safetensorsIO', 'tfjs-save', 'safetensors-save'));
    console.log(
      row('save: withSaveHandler -> saveLayersModelToSafetensors', 'tfjs-save', 'direct-save'),
    );
    console.log(
      row('save: withSaveHandler + fsync -> safetensorsIO', 'tfjs-save-fsync', 'safetensors-save'),
    );
    console.log(
      row(
        'save: withSaveHandler + fsync -> saveLayersModelToSafetensors',
        'tfjs-save-fsync',
        'direct-save',
      ),
    );
    console.log(row('load: fromMemory -> safetensorsIO', 'tfjs-load', 'safetensors-load'));
    console.log(
      row('load: fromMemory -> loadLayersModelFromSafetensors', 'tfjs-load', 'direct-load'),
    );
    console.log(
      row(
        'load: plain read of the bytes -> loadLayersModelFromSafetensors',
        'plain-read',
        'direct-load',
      ),
    );
    console.log(
      row(
        'load, default initializers: fromMemory -> safetensorsIO',
        'tfjs-load-default-init',
        'safetensors-load-default-init',
      ),
    );
    console.log(
      row(
        'load, default initializers: fromMemory -> loadLayersModelFromSafetensors',
        'tfjs-load-default-init',
        'direct-load-default-init',
      ),
    );
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
