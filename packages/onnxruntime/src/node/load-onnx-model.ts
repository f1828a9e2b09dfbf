import { resolve } from 'node:path';
import { ReprokitError } from '@reprokit/core';
import { folderFiles } from '@reprokit/core/node';
import { OnnxError } from '../errors/onnx-error.js';
import { decodeOnnxModel } from '../model/decode-onnx-model.js';
import type { OnnxModel, OnnxModelOptions } from '../model/onnx-model.js';
import { openOnnxModel } from '../model/open-onnx-model.js';

// The folder each model loaded here reads its external data from, so that saving it back into
// the same folder does not copy a data file onto itself. Keyed weakly by the `files` object.
const folders = new WeakMap<object, string>();

/**
 * Load an ONNX model from a path or an `http(s)` URL (`openOnnxModel`: its external data is
 * then read from the URLs beside it, by range). From a path, external data is opened from the model's folder
 * (names that leave the folder, also through symbolic links, are refused with
 * `ONNX_EXTERNAL_DATA_PATH`). Bytes are decoded (`decodeOnnxModel`) and an `OnnxModel` is
 * returned as it is, so functions can accept all three. An unreadable file throws
 * `ONNX_READ_FAILED`.
 *
 * @example
 * const model = await loadOnnxModel('model.onnx');
 * model.proto.graph?.initializer.length;
 */
export async function loadOnnxModel(
  input: string | Uint8Array | OnnxModel,
  options: Omit<OnnxModelOptions, 'name' | 'files'> = {},
): Promise<OnnxModel> {
  if (input instanceof Uint8Array) return decodeOnnxModel(input, options);
  if (typeof input !== 'string') return input;
  // A URL: the model file now, its external data later by range (openOnnxModel).
  if (/^https?:\/\//i.test(input)) return openOnnxModel(input, options);
  const path = resolve(input);
  let bytes: Uint8Array;
  let files: Awaited<ReturnType<typeof folderFiles>>;
  try {
    files = await folderFiles(path);
    try {
      bytes = await files.entry.read(0, files.entry.size);
    } finally {
      await files.close(); // the entry only; files.open still opens from the folder
    }
  } catch (cause) {
    throw new OnnxError({
      code: 'ONNX_READ_FAILED',
      message: `cannot read model file: ${ReprokitError.isInstance(cause) ? cause.detail : (cause as Error).message}`,
      file: path,
      cause,
    });
  }
  const opener = { open: (name: string) => files.open(name) };
  folders.set(opener, resolve(path, '..'));
  return decodeOnnxModel(bytes, { ...options, name: path, files: opener });
}

/** The folder `loadOnnxModel` opens this model's external data from, if it loaded it. */
export function folderOfModel(model: OnnxModel): string | undefined {
  return model.files === undefined ? undefined : folders.get(model.files);
}
