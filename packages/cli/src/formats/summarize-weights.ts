import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type Checkpoint, type Dtype, openSafetensors, SHARD_SET_KEY } from '@reprokit/core';
import { CliError } from '../errors/cli-error.js';
import type { ProgressReporter } from '../progress/progress-reporter.js';
import type { ResolvedInput } from './detect-input-format.js';
import { readWeights } from './read-weights.js';
import type { WeightsFormat } from './weights-format.js';

/** One tensor as `inspect` lists it. */
export interface TensorSummary {
  readonly name: string;
  readonly dtype: Dtype;
  readonly shape: readonly number[];
  /** Size of the tensor's data in bytes. */
  readonly bytes: number;
}

/** What is in a weights file, with or without its data. */
export interface WeightsSummary {
  readonly format: WeightsFormat;
  readonly tensors: readonly TensorSummary[];
  readonly metadata: ReadonlyMap<string, string>;
  /** The loaded weights; `undefined` when only headers were read (safetensors). */
  readonly checkpoint: Checkpoint | undefined;
}

/**
 * List an input's tensors. A safetensors file (or each shard of a sharded one) is read
 * only up to the end of its header, so a file of any size inspects at once (core's
 * `openSafetensors` still checks the header against the file's size). Other formats keep
 * their weights inside the file that describes them and are read whole.
 *
 * @example
 * const summary = await summarizeWeights(await detectInputFormat('big.safetensors'), silentProgress);
 * summary.checkpoint; // undefined: the data was not read
 */
export async function summarizeWeights(
  input: ResolvedInput,
  progress: ProgressReporter,
): Promise<WeightsSummary> {
  if (input.format === 'safetensors') {
    const { tensors, metadata } = await readSafetensorsHeader(input.path);
    return { format: input.format, tensors, metadata, checkpoint: undefined };
  }
  if (input.format === 'safetensors-sharded') {
    return summarizeShardedSafetensors(input.path, progress);
  }
  return summarizeCheckpoint(input.format, await readWeights(input, progress));
}

function summarizeCheckpoint(format: WeightsFormat, checkpoint: Checkpoint): WeightsSummary {
  const tensors = [...checkpoint.tensors].map(([name, tensor]) => ({
    name,
    dtype: tensor.dtype,
    shape: [...tensor.shape],
    bytes: tensor.data.byteLength,
  }));
  return { format, tensors, metadata: checkpoint.metadata, checkpoint };
}

async function readSafetensorsHeader(
  path: string,
): Promise<{ tensors: TensorSummary[]; metadata: ReadonlyMap<string, string> }> {
  const file = await openSafetensors(path);
  try {
    const { header } = file;
    const tensors: TensorSummary[] = [];
    for (const [name, entry] of header.tensors) {
      tensors.push({
        name,
        dtype: entry.dtype,
        shape: [...entry.shape],
        bytes: entry.end - entry.begin,
      });
    }
    return { tensors, metadata: header.metadata };
  } finally {
    await file.close();
  }
}

async function summarizeShardedSafetensors(
  indexPath: string,
  progress: ProgressReporter,
): Promise<WeightsSummary> {
  const { weightMap, token } = await readIndex(indexPath);
  const shards = [...new Set(weightMap.values())];
  progress.phase(`read headers of ${indexPath}`, shards.length);
  const found = new Map<string, TensorSummary>();
  const metadata = new Map<string, string>();
  for (const shard of shards) {
    const header = await readSafetensorsHeader(join(dirname(indexPath), shard));
    if (header.metadata.get(SHARD_SET_KEY) !== token) {
      // A shard from another save (an interrupted one): core's reader knows how to recover
      // the save's own shard or refuses; let it decide, at the price of reading the data.
      return summarizeCheckpoint(
        'safetensors-sharded',
        await readWeights({ format: 'safetensors-sharded', path: indexPath }, progress),
      );
    }
    for (const tensor of header.tensors) {
      if (weightMap.get(tensor.name) !== shard) {
        throw new CliError({
          code: 'CLI_UNKNOWN_FORMAT',
          file: indexPath,
          tensor: tensor.name,
          message: `shard ${shard} holds a tensor the weight_map does not assign to it`,
        });
      }
      found.set(tensor.name, tensor);
    }
    // As core's reader: the first shard's value wins, and the save token is not metadata.
    for (const [key, value] of header.metadata) {
      if (key !== SHARD_SET_KEY && !metadata.has(key)) metadata.set(key, value);
    }
    progress.advance();
  }
  const tensors: TensorSummary[] = [];
  for (const [name, shard] of weightMap) {
    const tensor = found.get(name);
    if (tensor === undefined) {
      throw new CliError({
        code: 'CLI_UNKNOWN_FORMAT',
        file: indexPath,
        tensor: name,
        message: `the weight_map puts this tensor in ${shard}, which does not hold it`,
      });
    }
    tensors.push(tensor);
  }
  return { format: 'safetensors-sharded', tensors, metadata, checkpoint: undefined };
}

/**
 * The index's `weight_map` (tensor name to shard file, in index order) and its save token
 * (`undefined` for indexes written by other tools).
 */
async function readIndex(
  indexPath: string,
): Promise<{ weightMap: Map<string, string>; token: string | undefined }> {
  let index: unknown;
  try {
    index = JSON.parse(await readFile(indexPath, 'utf8'));
  } catch (error) {
    if ((error as { code?: unknown }).code !== undefined) throw error;
    throw new CliError({
      code: 'CLI_UNKNOWN_FORMAT',
      file: indexPath,
      message: `not valid JSON: ${(error as Error).message}`,
    });
  }
  const weightMap = (index as { weight_map?: unknown } | null)?.weight_map;
  if (typeof weightMap !== 'object' || weightMap === null || Array.isArray(weightMap)) {
    throw new CliError({
      code: 'CLI_UNKNOWN_FORMAT',
      file: indexPath,
      message: 'not a safetensors index: no "weight_map" object',
    });
  }
  const result = new Map<string, string>();
  for (const [name, shard] of Object.entries(weightMap)) {
    // A shard must be a plain file name beside the index, never a path out of its folder.
    if (
      typeof shard !== 'string' ||
      shard === '' ||
      shard === '.' ||
      shard === '..' ||
      /[/\\]/.test(shard)
    ) {
      throw new CliError({
        code: 'CLI_UNKNOWN_FORMAT',
        file: indexPath,
        tensor: name,
        message: `weight_map entry ${JSON.stringify(shard)} is not a plain shard file name`,
      });
    }
    result.set(name, shard);
  }
  const token = (index as { metadata?: Record<string, unknown> }).metadata?.[SHARD_SET_KEY];
  return { weightMap: result, token: typeof token === 'string' ? token : undefined };
}
