import type { Checkpoint } from '@reprokit/core';
import {
  encodeTfjsArtifactFiles,
  type TfjsArtifactsWriteOptions,
} from './encode-tfjs-artifact-files.js';

/**
 * TensorFlow.js artifacts in memory: `model.json` and its `group1-shard<i>of<n>.bin` files, by
 * file name, ready to download, upload or hand to `tf.io.browserFiles`. The same files
 * `writeTfjsArtifacts` of `@reprokit/tfjs/node` saves; with a topology (given, or in the
 * checkpoint's `tfjs.modelTopology` metadata) `tf.loadLayersModel` loads them.
 *
 * @example
 * const files = await encodeTfjsArtifacts(await tfjsCheckpoint(tf).read(model), {
 *   modelTopology: model.toJSON(null, false),
 * });
 * files.get('model.json'); // Uint8Array of the JSON text
 */
export async function encodeTfjsArtifacts(
  checkpoint: Checkpoint,
  options: TfjsArtifactsWriteOptions = {},
): Promise<Map<string, Uint8Array>> {
  const encoded = encodeTfjsArtifactFiles(checkpoint, { ...options, entryName: 'model.json' });
  const files = new Map<string, Uint8Array>();
  const entry = await encoded.entry((name) => name);
  files.set(entry.name, await concat(entry.chunks));
  for (const file of encoded.dataFiles) files.set(file.name, await concat(file.chunks));
  return files;
}

async function concat(
  chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of chunks) {
    parts.push(chunk);
    length += chunk.byteLength;
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
