import { fingerprint } from '@reprokit/core';
import { detectInputFormat } from '../formats/detect-input-format.js';
import { readWeights } from '../formats/read-weights.js';
import type { CommandContext } from './command-context.js';

/**
 * `reprokit fingerprint <file>`: print the hex SHA-256 fingerprint of the weights (names,
 * dtypes, shapes, bytes; not metadata), so the same weights give the same value in
 * safetensors, tfjs and ONNX form.
 *
 * @example
 * await fingerprintCommand('model.onnx', context); // prints e.g. '3f9a...c2\n'
 */
export async function fingerprintCommand(file: string, context: CommandContext): Promise<string> {
  context.currentFile = file;
  const checkpoint = await readWeights(await detectInputFormat(file), context.progress);
  const value = fingerprint(checkpoint);
  context.progress.finish();
  context.io.writeOut(`${value}\n`);
  return value;
}
