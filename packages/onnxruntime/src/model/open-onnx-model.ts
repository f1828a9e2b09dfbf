import {
  type ByteSource,
  type CheckpointFiles,
  type HttpSourceOptions,
  isByteSource,
  isCheckpointFiles,
  isHttpUrl,
  openByteSource,
  ReprokitError,
  type SourceInput,
  urlFiles,
} from '@reprokit/core';
import { OnnxError } from '../errors/onnx-error.js';
import { decodeOnnxModel } from './decode-onnx-model.js';
import type { OnnxModel, OnnxModelOptions } from './onnx-model.js';

export interface OpenOnnxModelOptions extends Omit<OnnxModelOptions, 'name' | 'files'> {
  /** Options of the HTTP sources for a URL (`fetch`, `headers`, `retries`, `onProgress`, ...). */
  http?: HttpSourceOptions;
}

/**
 * An ONNX model whose external data stays where it is until a reader needs it: from an
 * `http(s)` URL (its data files are then the URLs beside it, read by range), from
 * `CheckpointFiles` (`blobFiles` of a drop, `urlFiles`, `folderFiles`), or from bytes, a
 * `Blob` or a `ByteSource` (external data must then be in `externalFiles`). Only the model
 * file itself is read now; `createSession` later reads just the initializers' ranges of each
 * data file. In Node, `loadOnnxModel` of `@reprokit/onnxruntime/node` also takes paths and URLs.
 *
 * @example
 * const model = await openOnnxModel('https://cdn.example.com/llm/model.onnx');
 * const session = await createSession(ort, model); // model.onnx_data read by range
 */
export async function openOnnxModel(
  input: SourceInput | CheckpointFiles,
  options: OpenOnnxModelOptions = {},
): Promise<OnnxModel> {
  const { http, ...modelOptions } = options;
  let files: CheckpointFiles | undefined;
  let entry: ByteSource;
  let owned = false;
  try {
    if (isCheckpointFiles(input)) {
      files = input;
      entry = input.entry;
    } else if (isHttpUrl(input)) {
      files = await urlFiles(input as URL | string, http);
      entry = files.entry;
      owned = true;
    } else {
      entry = await openByteSource(input, undefined, http);
      owned = !isByteSource(input);
    }
  } catch (cause) {
    throw readFailed(cause, typeof input === 'string' ? input : String(input));
  }
  let bytes: Uint8Array;
  try {
    bytes = await entry.read(0, entry.size);
  } catch (cause) {
    throw readFailed(cause, entry.name);
  } finally {
    if (owned) await entry.close();
  }
  const opener = files === undefined ? undefined : { open: files.open.bind(files) };
  return decodeOnnxModel(bytes, {
    ...modelOptions,
    name: entry.name,
    ...(opener === undefined ? {} : { files: opener }),
  });
}

function readFailed(cause: unknown, file: string): OnnxError {
  return new OnnxError({
    code: 'ONNX_READ_FAILED',
    message: `cannot read model file: ${ReprokitError.isInstance(cause) ? cause.detail : (cause as Error).message}`,
    file: (ReprokitError.isInstance(cause) ? cause.file : undefined) ?? file,
    cause,
  });
}
