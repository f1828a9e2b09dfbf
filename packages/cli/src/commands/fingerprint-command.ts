import { fingerprint } from '@reprokit/core';
import { openInput } from '../formats/open-input.js';
import { readWeights } from '../formats/read-weights.js';
import type { CommandContext } from './command-context.js';

/**
 * `reprokit fingerprint <file>`: print the hex SHA-256 fingerprint of the weights (names,
 * dtypes, shapes, bytes; not metadata), so the same weights give the same value in
 * safetensors, tfjs, ONNX or Keras form, local or on a server.
 *
 * @example
 * await fingerprintCommand('model.onnx', context); // prints e.g. '3f9a...c2\n'
 */
export async function fingerprintCommand(file: string, context: CommandContext): Promise<string> {
  context.currentFile = file;
  const input = await openInput(file, context.progress);
  let checkpoint: Awaited<ReturnType<typeof readWeights>>;
  try {
    checkpoint = await readWeights(input, context.progress);
  } finally {
    await input.close();
  }
  const value = fingerprint(checkpoint);
  context.progress.finish();
  context.io.writeOut(`${value}\n`);
  return value;
}
