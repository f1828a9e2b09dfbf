import { mkdir } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import {
  type Checkpoint,
  type WeightMapping,
  writeSafetensors,
  writeShardedSafetensors,
} from '@reprokit/core';
import { CliError } from '../errors/cli-error.js';
import type { ProgressReporter } from '../progress/progress-reporter.js';
import { loadOnnxAdapter, loadTfjsAdapter } from './load-adapters.js';
import type { OutputTarget } from './resolve-output-target.js';

export interface WriteWeightsOptions {
  /** Largest shard in bytes, for sharded safetensors and tfjs outputs. */
  maxShardSize?: number | undefined;
  /** ONNX output: the model whose graph receives the weights. */
  template?: string | undefined;
  /** ONNX output: store the weights in a `.safetensors` file beside the model. */
  external?: boolean | undefined;
  /** ONNX output: rename and re-layout the weights to fit the template. */
  mapping?: WeightMapping | undefined;
  progress: ProgressReporter;
}

/**
 * Write a checkpoint in the target's format. Every file is written atomically (temp file,
 * fsync, rename), data files before the file that points at them; all encoding happens
 * before the first rename, so a conversion that fails leaves an existing output as it was.
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
      await writeSharded(target.path, checkpoint, options);
      break;
    case 'tfjs': {
      const tfjs = await loadTfjsAdapter();
      await tfjs.writeTfjsArtifacts(checkpoint, dirname(target.path), {
        ...(options.maxShardSize === undefined ? {} : { shardSize: options.maxShardSize }),
      });
      break;
    }
    case 'onnx':
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
      file: indexPath,
      message: 'a sharded output needs --max-shard-size (e.g. --max-shard-size 2GB)',
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
  if (options.template === undefined) {
    throw new CliError({
      code: 'CLI_TEMPLATE_REQUIRED',
      file: path,
      message:
        'an ONNX output needs a graph: pass --template model.onnx (an ONNX model whose initializers receive the weights)',
    });
  }
  const onnx = await loadOnnxAdapter();
  const externalData = options.external === true ? externalDataName(path) : undefined;
  const model = await onnx.writeOnnx(options.template, checkpoint, {
    ...(externalData === undefined ? {} : { externalData }),
    ...(options.mapping === undefined ? {} : { mapping: options.mapping }),
  });
  await onnx.saveOnnxModel(model, path);
}

/** `out/model.onnx` keeps its weights in `out/model.safetensors`. */
function externalDataName(onnxPath: string): string {
  return `${basename(onnxPath).replace(/\.onnx$/i, '')}.safetensors`;
}
