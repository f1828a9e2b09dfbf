import { mkdir, readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import {
  type Checkpoint,
  CheckpointMismatchError,
  createCheckpoint,
  encodeSafetensors,
  isCompleteWrite,
  type MappingStep,
  planCheckpointWrite,
  writeSafetensors,
  writeShardedSafetensors,
} from '@reprokit/core';
import type { OnnxModel } from '@reprokit/onnxruntime';
import { describeCastNote } from '../cast/cast-checkpoint.js';
import { castToSpecs } from '../cast/cast-to-specs.js';
import { CliError } from '../errors/cli-error.js';
import type { ProgressReporter } from '../progress/progress-reporter.js';
import { buildLayersModel } from './build-layers-model.js';
import { loadOnnxAdapter, loadTfjsAdapter, loadTfjsOnnx } from './load-adapters.js';
import { createMappingPreset } from './resolve-mapping-preset.js';
import type { OutputTarget } from './resolve-output-target.js';

export interface WriteWeightsOptions {
  /** Largest shard in bytes, for sharded safetensors and tfjs outputs. */
  maxShardSize?: number | undefined;
  /** ONNX output: the model whose graph receives the weights. */
  template?: string | undefined;
  /** ONNX output: store the weights in a `.safetensors` file beside the model. */
  external?: boolean | undefined;
  /** Mapping preset name (see `MAPPING_PRESETS`); needs a template. */
  mapping?: string | undefined;
  /** The input file, for presets that read the source graph (`onnx-to-keras`). */
  inputPath?: string | undefined;
  /** `false` (`--no-cast`): refuse dtype conversions a template asks for. Default `true`. */
  allowCast?: boolean | undefined;
  /** Receives notes for stderr (dtype conversions). */
  onNote?: ((text: string) => void) | undefined;
  progress: ProgressReporter;
}

/**
 * Write a checkpoint in the target's format. Everything is read, converted and encoded
 * before the first file is written, and each format's own crash-safe writer does the
 * writing: a single `.safetensors` atomically (temp file, fsync, rename); sharded
 * safetensors and tfjs artifacts never overwrite a data file and write the index or
 * `model.json` last; an `.onnx` with external data keeps the replaced data file until the
 * new model is in place. So a conversion that fails leaves an existing output as it was.
 * The checkpoint must already fit the target (see `castForTfjs`).
 *
 * @example
 * await writeWeights({ format: 'safetensors', path: 'out.safetensors' }, checkpoint, { progress });
 */
export async function writeWeights(
  target: OutputTarget,
  checkpoint: Checkpoint,
  options: WriteWeightsOptions,
): Promise<void> {
  options.progress.phase(`write ${target.path}`, 1);
  // Creating the folder changes nothing an existing output holds.
  await mkdir(dirname(target.path), { recursive: true });
  switch (target.format) {
    case 'safetensors':
      await writeSafetensors(checkpoint, target.path);
      break;
    case 'safetensors-sharded':
      // Core's sharded writer is crash-safe on its own (per-save tokens, index last) and
      // cleans up the shards of the save it replaces; staging would only defeat that.
      await writeSharded(target.path, checkpoint, options);
      break;
    case 'tfjs':
      // The tfjs writer is crash-safe on its own (shards never overwritten, model.json written
      // last, replaced shards deleted after); staging would bring back overwritten shards.
      await writeTfjsTarget(target.path, checkpoint, options);
      break;
    case 'onnx':
      // saveOnnxModel is crash-safe on its own: a replaced data file is kept until the new
      // model.onnx is in place, and readers fall back to it.
      await writeOnnxTarget(target.path, checkpoint, options);
      break;
  }
  options.progress.advance();
}

const INDEX_SUFFIX = '.safetensors.index.json';

async function writeSharded(
  indexPath: string,
  checkpoint: Checkpoint,
  options: WriteWeightsOptions,
): Promise<void> {
  if (options.maxShardSize === undefined) {
    throw new CliError({
      code: 'CLI_BAD_OPTION',
      message: 'a sharded output needs a maximum shard size (--max-shard-size)',
    });
  }
  const prefix = basename(indexPath).slice(0, -INDEX_SUFFIX.length);
  await writeShardedSafetensors(checkpoint, dirname(indexPath), {
    maxShardSize: options.maxShardSize,
    prefix,
  });
}

async function writeOnnxTarget(
  path: string,
  checkpoint: Checkpoint,
  options: WriteWeightsOptions,
): Promise<void> {
  const onnx = await loadOnnxAdapter();
  let template: OnnxModel;
  let weights = checkpoint;
  if (options.template === undefined) {
    template = await onnx.loadOnnxModel(await exportedGraph(path, checkpoint));
  } else {
    template = await onnx.loadOnnxModel(options.template);
    const cast = castToSpecs(checkpoint, onnx.onnxTensorSpecs(template), {
      allowCast: options.allowCast !== false,
      file: path,
      template: options.template,
    });
    weights = cast.checkpoint;
    for (const note of cast.notes) options.onNote?.(describeCastNote(note));
  }
  const externalData = options.external === true ? externalDataName(path) : undefined;
  const model = await onnx.writeOnnx(template, weights, {
    ...(externalData === undefined ? {} : { externalData }),
  });
  await onnx.saveOnnxModel(model, path);
}

/**
 * Without a template, weights that carry their tfjs layers topology (a tfjs model.json, or a
 * safetensors file converted from one) get a graph exported from that topology. Its
 * initializers have the checkpoint's own names and layouts, so the weights go in unchanged.
 */
async function exportedGraph(path: string, checkpoint: Checkpoint): Promise<Uint8Array> {
  const tfjs = await loadTfjsAdapter();
  const topology = checkpoint.metadata.get(tfjs.TFJS_METADATA_KEYS.modelTopology);
  if (topology === undefined) {
    throw new CliError({
      code: 'CLI_TEMPLATE_REQUIRED',
      file: path,
      message:
        'an ONNX output needs a graph: pass --template model.onnx (an ONNX model whose initializers receive the weights); only tfjs weights with a model topology are exported without one',
    });
  }
  const { tf, model } = await buildLayersModel(JSON.parse(topology));
  try {
    await tfjs.tfjsCheckpoint({ tf }).write(model, checkpoint);
    const presets = await loadTfjsOnnx();
    // Shared mode names each initializer after its checkpoint tensor; writeOnnx then embeds
    // the data (or points it at --external's file).
    return await presets.exportToOnnx(model, {
      weights: 'shared',
      safetensors: encodeSafetensors(checkpoint),
    });
  } finally {
    model.dispose();
  }
}

/**
 * tfjs artifacts. With a template `model.json`, its topology is written too (so
 * `tf.loadLayersModel` can load the result) and the weights must fit it exactly, after the
 * mapping preset if one is given; every problem is listed at once.
 */
async function writeTfjsTarget(
  path: string,
  checkpoint: Checkpoint,
  options: WriteWeightsOptions,
): Promise<void> {
  const tfjs = await loadTfjsAdapter();
  const shardSize = options.maxShardSize === undefined ? {} : { shardSize: options.maxShardSize };
  if (options.template === undefined) {
    await tfjs.writeTfjsArtifacts(checkpoint, dirname(path), shardSize);
    return;
  }
  const modelTopology = await readTemplateTopology(options.template);
  const { tf, model } = await buildLayersModel(modelTopology);
  try {
    const expected = tfjs.tfjsCheckpoint({ tf }).expectedTensors(model);
    let source = checkpoint;
    let steps: readonly MappingStep[] = [];
    if (options.mapping !== undefined) {
      const mapping = await createMappingPreset(options.mapping, {
        onnxPath: options.inputPath ?? '',
        model,
      });
      ({ checkpoint: source, steps } = mapping.map(checkpoint, expected));
    }
    const report = planCheckpointWrite(expected, source, steps);
    if (!isCompleteWrite(report))
      throw new CheckpointMismatchError('cli', report, options.template);
    const ordered = createCheckpoint(
      [...expected.keys()].map((name) => [name, source.tensors.get(name)!] as const),
      source.metadata,
    );
    await tfjs.writeTfjsArtifacts(ordered, dirname(path), { ...shardSize, modelTopology });
  } finally {
    model.dispose();
  }
}

async function readTemplateTopology(templatePath: string): Promise<unknown> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(templatePath, 'utf8'));
  } catch (cause) {
    if ((cause as { code?: unknown }).code !== undefined) throw cause;
    throw new CliError({
      code: 'CLI_TEMPLATE_REQUIRED',
      file: templatePath,
      message: `template is not valid JSON: ${(cause as Error).message}`,
    });
  }
  const topology = (json as { modelTopology?: unknown } | null)?.modelTopology;
  if (typeof topology !== 'object' || topology === null) {
    throw new CliError({
      code: 'CLI_TEMPLATE_REQUIRED',
      file: templatePath,
      message: 'a tfjs template must be a model.json with a modelTopology (a layers model)',
    });
  }
  return topology;
}

/** `out/model.onnx` keeps its weights in `out/model.safetensors`. */
function externalDataName(onnxPath: string): string {
  return `${basename(onnxPath).replace(/\.onnx$/i, '')}.safetensors`;
}
