import { stat } from 'node:fs/promises';
import { basename, extname, join, sep } from 'node:path';
import { CliError } from '../errors/cli-error.js';
import type { WeightsFormat } from './weights-format.js';

/** Formats `convert` can write: every format it reads. */
export type OutputFormat = WeightsFormat;

/** Where and in which format `convert` writes. */
export interface OutputTarget {
  readonly format: OutputFormat;
  /** The entry file: the `.safetensors`, the index, the `model.json`, the `.onnx`, the `.h5`. */
  readonly path: string;
}

/**
 * Decide the output format from the output path: `.safetensors`, `.safetensors.index.json`
 * (sharded), `.onnx`, Keras (`.weights.h5`, `.h5`, `.hdf5`, `.keras`), or tfjs artifacts: a path to
 * `model.json`, or a folder (an existing one, a path ending in `/`, or a name without
 * extension) that receives `model.json` and its shards.
 *
 * @example
 * await resolveOutputTarget('out/tfjs'); // { format: 'tfjs-artifacts', path: 'out/tfjs/model.json' }
 */
export async function resolveOutputTarget(path: string): Promise<OutputTarget> {
  const name = basename(path).toLowerCase();
  if (name.endsWith('.safetensors.index.json')) return { format: 'safetensors-sharded', path };
  if (name.endsWith('.safetensors')) return { format: 'safetensors', path };
  if (name.endsWith('.onnx')) return { format: 'onnx', path };
  if (/\.(h5|hdf5|keras)$/.test(name)) return { format: 'keras', path };
  if (name.endsWith('.json')) return { format: 'tfjs-artifacts', path };
  const info = await stat(path).catch(() => undefined);
  if (
    info?.isDirectory() === true ||
    path.endsWith(sep) ||
    path.endsWith('/') ||
    extname(name) === ''
  ) {
    return { format: 'tfjs-artifacts', path: join(path, 'model.json') };
  }
  throw new CliError({
    code: 'CLI_UNKNOWN_FORMAT',
    file: path,
    message:
      'cannot tell the output format; use .safetensors, .safetensors.index.json, .onnx, .h5, .weights.h5, .keras, or a folder or model.json (tfjs)',
  });
}
