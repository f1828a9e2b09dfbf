import {
  type Checkpoint,
  createCheckpoint,
  openSafetensors,
  readShardedSafetensors,
} from '@reprokit/core';
import type { ProgressReporter } from '../progress/progress-reporter.js';
import type { ResolvedInput } from './detect-input-format.js';
import { loadOnnxAdapter, loadTfjsAdapter } from './load-adapters.js';
import { ownTensorBytes } from './own-tensor-bytes.js';

/**
 * Read every tensor of an input into memory, whatever its format. Quantized tfjs weights
 * come back dequantized; ONNX initializers (inline or external) come back by name.
 *
 * @example
 * const checkpoint = await readWeights(await detectInputFormat('model.onnx'), silentProgress);
 */
export async function readWeights(
  input: ResolvedInput,
  progress: ProgressReporter,
): Promise<Checkpoint> {
  return ownTensorBytes(await readAnyFormat(input, progress));
}

async function readAnyFormat(
  input: ResolvedInput,
  progress: ProgressReporter,
): Promise<Checkpoint> {
  switch (input.format) {
    case 'safetensors':
      return readSafetensorsByTensor(input.path, progress);
    case 'safetensors-sharded':
      return readWhole(input.path, progress, readShardedSafetensors);
    case 'tfjs':
    case 'tfjs-manifest': {
      const tfjs = await loadTfjsAdapter();
      return readWhole(input.path, progress, (path) => tfjs.readTfjsArtifacts(path));
    }
    case 'onnx': {
      const onnx = await loadOnnxAdapter();
      return readWhole(input.path, progress, (path) => onnx.readOnnxCheckpoint(path));
    }
  }
}

/** Tensor by tensor, so that a large file shows progress and is never read twice. */
async function readSafetensorsByTensor(
  path: string,
  progress: ProgressReporter,
): Promise<Checkpoint> {
  const file = await openSafetensors(path);
  try {
    const names = [...file.header.tensors.keys()];
    progress.phase(`read ${path}`, names.length);
    const entries: [string, Awaited<ReturnType<typeof file.readTensor>>][] = [];
    for (const name of names) {
      entries.push([name, await file.readTensor(name)]);
      progress.advance();
    }
    return createCheckpoint(entries, file.header.metadata);
  } finally {
    await file.close();
  }
}

async function readWhole(
  path: string,
  progress: ProgressReporter,
  read: (path: string) => Promise<Checkpoint>,
): Promise<Checkpoint> {
  progress.phase(`read ${path}`, 1);
  const checkpoint = await read(path);
  progress.advance();
  return checkpoint;
}
