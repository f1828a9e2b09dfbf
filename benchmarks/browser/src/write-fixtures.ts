/**
 * The files the benchmarks load, written at bench time into a folder nginx serves (never
 * committed): one dense tfjs model saved four ways.
 *
 * - `model.safetensors`: reprokit's save (`saveLayersModelToSafetensors`), topology included;
 * - `tfjs/model.json` + `tfjs/group1-shard<i>of<n>.bin`: tfjs' own format, from tfjs' own save
 *   artifacts, cut into shards of 4 MiB (4194304 bytes, the shard size tensorflowjs_converter
 *   writes by default) in the same order tfjs concatenates them back;
 * - `graph.onnx`: the same model exported to ONNX with its initializers as external data
 *   pointing into `model.safetensors` (one weights file for both runtimes);
 * - `embedded.onnx`: the same ONNX model with the weights inside;
 * - `warmup.onnx`: a tiny model whose session each page creates before any measured run, so
 *   no run pays for compiling onnxruntime-web's WebAssembly.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fingerprint } from '@reprokit/core';
import { readSafetensors } from '@reprokit/core/node';
import { saveLayersModelToSafetensors } from '@reprokit/tfjs/node';
import { exportToOnnx } from '@reprokit/tfjs-onnx';
import * as tf from '@tensorflow/tfjs';

/** tensorflowjs_converter's default `--weight_shard_size_bytes`. */
export const TFJS_SHARD_BYTES = 4 * 1024 * 1024;

export interface FixtureSize {
  /** Dense layers, each `units` x `units` with a bias. */
  layers: number;
  units: number;
}

/** 4 Dense 2048x2048: 64 MiB of kernels plus 32 KiB of biases, float32. */
export const BENCH_SIZE: FixtureSize = { layers: 4, units: 2048 };

export function weightBytes(size: FixtureSize): number {
  return size.layers * (size.units * size.units + size.units) * 4;
}

export interface Fixtures {
  size: FixtureSize;
  weightBytes: number;
  /** Number of tfjs shards written. */
  shards: number;
  /** `fingerprint` of the checkpoint in `model.safetensors`: what every load must give back. */
  fingerprint: string;
  /** A fixed input row and the model's prediction for it in Node (cpu backend). */
  input: number[];
  prediction: number[];
}

/** Sequential Dense layers with tfjs' default initializers (Glorot uniform kernels, zero biases). */
export function buildDenseModel(size: FixtureSize): tf.Sequential {
  return tf.sequential({
    layers: Array.from({ length: size.layers }, (_, index) =>
      tf.layers.dense({
        units: size.units,
        activation: index === size.layers - 1 ? 'linear' : 'relu',
        ...(index === 0 ? { inputShape: [size.units] } : {}),
      }),
    ),
  });
}

/** Write every fixture of `size` into `folder` (which nginx serves as its root). */
export async function writeFixtures(folder: string, size: FixtureSize): Promise<Fixtures> {
  await tf.setBackend('cpu');
  const model = buildDenseModel(size);
  try {
    // Biases start at zero: give them values so a load that skipped them would be caught.
    for (const layer of model.layers) {
      const [kernel] = layer.getWeights();
      const bias = tf.randomUniform([size.units], -0.5, 0.5);
      layer.setWeights([kernel!, bias]);
      bias.dispose();
    }
    const safetensorsPath = join(folder, 'model.safetensors');
    await saveLayersModelToSafetensors(model, safetensorsPath);
    const shards = await writeTfjsShards(model, join(folder, 'tfjs'));
    const safetensors = new Uint8Array(await readFile(safetensorsPath));
    await writeFile(join(folder, 'graph.onnx'), await exportToOnnx(model, { safetensors }));
    await writeFile(
      join(folder, 'embedded.onnx'),
      await exportToOnnx(model, { weights: 'embedded' }),
    );
    const warmup = buildDenseModel({ layers: 1, units: 2 });
    await writeFile(
      join(folder, 'warmup.onnx'),
      await exportToOnnx(warmup, { weights: 'embedded' }),
    );
    warmup.dispose();
    const input = Array.from({ length: size.units }, (_, index) => ((index % 17) - 8) / 8);
    const output = tf.tidy(() => model.predict(tf.tensor2d(input, [1, size.units])) as tf.Tensor);
    const prediction = Array.from(await output.data());
    output.dispose();
    return {
      size,
      weightBytes: weightBytes(size),
      shards,
      fingerprint: fingerprint(await readSafetensors(safetensorsPath)),
      input,
      prediction,
    };
  } finally {
    model.dispose();
  }
}

/**
 * tfjs' own artifacts of `model` (what `model.save` hands any IOHandler), written as tfjs'
 * converter lays them out: `model.json` whose manifest lists the shards, and the weight bytes
 * cut into consecutive shards of `TFJS_SHARD_BYTES`. Returns the number of shards.
 */
async function writeTfjsShards(model: tf.LayersModel, folder: string): Promise<number> {
  await mkdir(folder, { recursive: true });
  let shardCount = 0;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData;
      if (!(data instanceof ArrayBuffer)) throw new Error('tfjs gave its weights in pieces');
      const bytes = new Uint8Array(data);
      const paths: string[] = [];
      shardCount = Math.ceil(bytes.byteLength / TFJS_SHARD_BYTES);
      for (let index = 0; index < shardCount; index++) {
        const path = `group1-shard${index + 1}of${shardCount}.bin`;
        paths.push(path);
        const start = index * TFJS_SHARD_BYTES;
        await writeFile(join(folder, path), bytes.subarray(start, start + TFJS_SHARD_BYTES));
      }
      await writeFile(
        join(folder, 'model.json'),
        JSON.stringify({
          format: artifacts.format,
          generatedBy: artifacts.generatedBy,
          convertedBy: artifacts.convertedBy,
          modelTopology: artifacts.modelTopology,
          weightsManifest: [{ paths, weights: artifacts.weightSpecs }],
        }),
      );
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return shardCount;
}
