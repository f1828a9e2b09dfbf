import { open, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CliError } from '../errors/cli-error.js';
import type { WeightsFormat } from './weights-format.js';

/** An input path resolved to the file to read and its format. */
export interface ResolvedInput {
  readonly format: WeightsFormat;
  /** The file to read: for a tfjs folder, its `model.json`. */
  readonly path: string;
}

/**
 * Work out what an input is. The file name decides when it is clear (`.safetensors`,
 * `.safetensors.index.json`, `.onnx`, a folder holding `model.json`); a `.json` file is
 * told apart by its top level (an array is a weights manifest, `weight_map` a safetensors
 * index, anything else a tfjs `model.json`); other names are sniffed for a safetensors header.
 *
 * @example
 * await detectInputFormat('out/tfjs'); // { format: 'tfjs', path: 'out/tfjs/model.json' }
 */
export async function detectInputFormat(path: string): Promise<ResolvedInput> {
  const info = await stat(path);
  if (info.isDirectory()) {
    const modelJson = join(path, 'model.json');
    const found = await stat(modelJson).catch(() => undefined);
    if (found?.isFile() === true) return { format: 'tfjs', path: modelJson };
    throw new CliError({
      code: 'CLI_UNKNOWN_FORMAT',
      file: path,
      message: 'folder has no model.json; pass a weights file or a tfjs model folder',
    });
  }
  const name = basename(path).toLowerCase();
  if (name.endsWith('.safetensors')) return { format: 'safetensors', path };
  if (name.endsWith('.onnx')) return { format: 'onnx', path };
  if (name.endsWith('.json')) return { format: await jsonFormat(path), path };
  if (await looksLikeSafetensors(path, info.size)) return { format: 'safetensors', path };
  throw new CliError({
    code: 'CLI_UNKNOWN_FORMAT',
    file: path,
    message:
      'unknown weights format; expected .safetensors, .safetensors.index.json, model.json, a weights-manifest .json or .onnx',
  });
}

async function jsonFormat(path: string): Promise<WeightsFormat> {
  if (basename(path).toLowerCase().endsWith('.index.json')) return 'safetensors-sharded';
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new CliError({
      code: 'CLI_UNKNOWN_FORMAT',
      file: path,
      message: `not valid JSON: ${(error as Error).message}`,
      cause: error,
    });
  }
  if (Array.isArray(parsed)) return 'tfjs-manifest';
  if (typeof parsed === 'object' && parsed !== null && 'weight_map' in parsed) {
    return 'safetensors-sharded';
  }
  return 'tfjs';
}

/** A safetensors file starts with a little-endian u64 header length, then `{`. */
async function looksLikeSafetensors(path: string, size: number): Promise<boolean> {
  if (size < 10) return false;
  const handle = await open(path, 'r');
  try {
    const head = new Uint8Array(9);
    await handle.read(head, 0, 9, 0);
    const headerLength = new DataView(head.buffer).getBigUint64(0, true);
    return head[8] === 0x7b && headerLength > 0n && headerLength <= BigInt(size - 8);
  } finally {
    await handle.close();
  }
}
