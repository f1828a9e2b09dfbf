import { readFile } from 'node:fs/promises';
import {
  type AnyCheckpointStore,
  type Checkpoint,
  CheckpointMismatchError,
  createCheckpoint,
  encodeSafetensors,
  isCompleteWrite,
  type MappingStep,
  planCheckpointWrite,
} from '@reprokit/core';
import { type SaveStage, writeCheckpoint } from '@reprokit/core/node';
import { describeCastNote } from '../cast/cast-checkpoint.js';
import { castToSpecs } from '../cast/cast-to-specs.js';
import { CliError } from '../errors/cli-error.js';
import type { ProgressReporter } from '../progress/progress-reporter.js';
import { buildLayersModel } from './build-layers-model.js';
import { storeFor } from './cli-stores.js';
import { loadOnnxAdapter, loadOnnxFiles, loadTfjsAdapter, loadTfjsOnnx } from './load-adapters.js';
import { createMappingPreset } from './resolve-mapping-preset.js';
import type { OutputTarget } from './resolve-output-target.js';

export interface WriteWeightsOptions {
  /** Largest shard in bytes, for sharded safetensors and tfjs outputs. */
  maxShardSize?: number | undefined;
  /** ONNX output: the model whose graph receives the weights; tfjs output: a model.json. */
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
 * Write a checkpoint in the target's format with the format's store and core's
 * `writeCheckpoint`: everything is read, converted and encoded before the first file is
 * written, a single file is replaced atomically, and a save of several files (shards, tfjs
 * weight files, ONNX external data) goes through the one crash-safe protocol. So a conversion
 * that fails leaves an existing output as it was. The checkpoint must already fit the target
 * (see `castForTfjs`).
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
  const store = await storeFor(target.format);
  const save = (weights: Checkpoint, writeOptions: object) =>
    writeCheckpoint(store as AnyCheckpointStore, weights, target.path, {
      ...writeOptions,
      onStage: pauseForTests,
    });
  switch (target.format) {
    case 'safetensors':
    case 'keras':
      await save(checkpoint, {});
      break;
    case 'safetensors-sharded':
      if (options.maxShardSize === undefined) {
        throw new CliError({
          code: 'CLI_BAD_OPTION',
          message: 'a sharded output needs a maximum shard size (--max-shard-size)',
        });
      }
      await save(checkpoint, { maxShardSize: options.maxShardSize });
      break;
    case 'tfjs-artifacts':
      await writeTfjsTarget(checkpoint, options, save);
      break;
    case 'onnx':
      await writeOnnxTarget(target.path, checkpoint, options, save);
      break;
  }
  options.progress.advance();
}

type Save = (weights: Checkpoint, writeOptions: object) => Promise<void>;

async function writeOnnxTarget(
  path: string,
  checkpoint: Checkpoint,
  options: WriteWeightsOptions,
  save: Save,
): Promise<void> {
  const onnx = await loadOnnxAdapter();
  let template: Awaited<ReturnType<typeof onnx.decodeOnnxModel>>;
  let weights = checkpoint;
  if (options.template === undefined) {
    template = onnx.decodeOnnxModel(await exportedGraph(path, checkpoint));
  } else {
    template = await (await loadOnnxFiles()).loadOnnxModel(options.template);
    const cast = castToSpecs(checkpoint, onnx.onnxTensorSpecs(template), {
      allowCast: options.allowCast !== false,
      file: path,
      template: options.template,
    });
    weights = cast.checkpoint;
    for (const note of cast.notes) options.onNote?.(describeCastNote(note));
  }
  await save(weights, {
    template,
    ...(options.external === true ? { externalData: true } : {}),
  });
}

/**
 * Without a template, weights that carry their tfjs layers topology (a tfjs model.json, or a
 * safetensors file converted from one) get a graph exported from that topology, whose
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
    const adapter = tfjs.tfjsCheckpoint(tf);
    await adapter.write(model, checkpoint);
    const presets = await loadTfjsOnnx();
    // Shared mode names each initializer after its checkpoint tensor and checks every weight
    // against the exact bytes given (the model's own, as tfjs holds them); the store then writes
    // the checkpoint into that graph, embedded or as --external data.
    return await presets.exportToOnnx(model, {
      weights: 'shared',
      safetensors: encodeSafetensors(await adapter.read(model)),
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
  checkpoint: Checkpoint,
  options: WriteWeightsOptions,
  save: Save,
): Promise<void> {
  const shardSize = options.maxShardSize === undefined ? {} : { shardSize: options.maxShardSize };
  if (options.template === undefined) {
    await save(checkpoint, shardSize);
    return;
  }
  const tfjs = await loadTfjsAdapter();
  const modelTopology = await readTemplateTopology(options.template);
  const { tf, model } = await buildLayersModel(modelTopology);
  try {
    const expected = tfjs.tfjsCheckpoint(tf).expectedTensors(model);
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
    await save(ordered, { ...shardSize, modelTopology });
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

/**
 * For the crash tests of this package only: with `REPROKIT_CLI_PAUSE_AT=<stage>` the save
 * announces that stage on stderr (`reprokit: paused at <stage>`) and stops there until the
 * process is killed, so a test kills it at a known point instead of after a guessed time.
 */
async function pauseForTests(stage: SaveStage): Promise<void> {
  if (process.env.REPROKIT_CLI_PAUSE_AT !== stage) return;
  process.stderr.write(`reprokit: paused at ${stage}\n`);
  await new Promise(() => {
    setInterval(() => {}, 1 << 30); // keep the process alive until the signal
  });
}
