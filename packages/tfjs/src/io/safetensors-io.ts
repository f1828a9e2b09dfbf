import {
  type ByteSource,
  encodeSafetensors,
  isByteSource,
  isHttpUrl,
  openByteSource,
  redactUrl,
  type SourceInput,
} from '@reprokit/core';
import type { io } from '@tensorflow/tfjs';
import { SafetensorsIOError } from './safetensors-io-error.js';
import { type SafetensorsIOTarget, safetensorsIOHandler } from './safetensors-io-handler.js';

export interface SafetensorsIOOptions {
  /**
   * Receives the safetensors file `model.save` produces (a browser has no path to write to):
   * download it, upload it, put it in IndexedDB. Without it, saving throws
   * `TFJS_IO_NO_SAVE_TARGET`.
   */
  onSave?: (bytes: Uint8Array) => void | Promise<void>;
}

/**
 * A tf.io `IOHandler` for one safetensors file, in any JavaScript environment.
 * `tf.loadLayersModel(safetensorsIO(input))` loads a model from bytes, a `Blob`/`File`, a fetch
 * `Response`, an http(s) URL (read by ranges) or a `ByteSource` (a file without `tfjs.modelTopology` throws `TFJS_IO_NO_TOPOLOGY`; F16, BF16 and
 * F64 tensors `TFJS_IO_UNSUPPORTED_DTYPE`). `model.save(safetensorsIO({ onSave }))` hands the
 * encoded file to `onSave`: the weights under reprokit's structural names (the names
 * `tfjsCheckpoint(tf).read(model)` gives, so both have the same fingerprint), and the topology,
 * training config, format fields and tfjs weight names in `__metadata__` (`TFJS_METADATA_KEYS`);
 * optimizer weights (`includeOptimizer: true`) go under `optimizer/`. For large models
 * `loadLayersModelFromSafetensors` is faster. In Node, `@reprokit/tfjs/node` also takes a path.
 *
 * @example
 * const model = await tf.loadLayersModel(safetensorsIO(droppedFile));
 * await model.save(safetensorsIO({ onSave: (bytes) => download(bytes, 'model.safetensors') }));
 */
export function safetensorsIO(options: SafetensorsIOOptions): io.IOHandler;
export function safetensorsIO(input: SourceInput, options?: SafetensorsIOOptions): io.IOHandler;
export function safetensorsIO(
  first: SourceInput | SafetensorsIOOptions,
  second: SafetensorsIOOptions = {},
): io.IOHandler {
  if (typeof first === 'string' && !isHttpUrl(first)) {
    throw new SafetensorsIOError({
      code: 'TFJS_IO_CANNOT_OPEN',
      message:
        'a string that is not an http(s) URL is read as a file path only by safetensorsIO of @reprokit/tfjs/node; here pass bytes, a Blob, a Response, a URL or a ByteSource',
      file: first,
    });
  }
  const input = isSourceInput(first) ? first : undefined;
  const options = isSourceInput(first) ? second : first;
  return safetensorsIOHandler(inputTarget(input, options.onSave));
}

/** The target of a handler on a `SourceInput` (or on nothing, to save only). */
export function inputTarget(
  input: SourceInput | undefined,
  onSave: SafetensorsIOOptions['onSave'],
): SafetensorsIOTarget {
  const name = input === undefined ? '<safetensorsIO>' : nameOf(input);
  return {
    name,
    async open() {
      if (input === undefined) {
        throw new SafetensorsIOError({
          code: 'TFJS_IO_CANNOT_OPEN',
          message:
            'this safetensorsIO handler was given nothing to load: pass bytes, a Blob or a ByteSource',
          file: name,
        });
      }
      // A ByteSource stays the caller's: it is not closed after the load.
      const source: ByteSource = await openByteSource(input);
      const owned = !isByteSource(input);
      return { source, close: async () => (owned ? source.close() : undefined) };
    },
    async save(checkpoint) {
      if (onSave === undefined) {
        throw new SafetensorsIOError({
          code: 'TFJS_IO_NO_SAVE_TARGET',
          message:
            'this safetensorsIO handler has nowhere to save: pass { onSave(bytes) } (or a path to safetensorsIO of @reprokit/tfjs/node)',
          file: name,
        });
      }
      await onSave(encodeSafetensors(checkpoint));
    },
  };
}

function isSourceInput(value: unknown): value is SourceInput {
  return (
    value instanceof Uint8Array ||
    isByteSource(value) ||
    isHttpUrl(value) ||
    (typeof Blob !== 'undefined' && value instanceof Blob) ||
    (typeof Response !== 'undefined' && value instanceof Response)
  );
}

function nameOf(input: SourceInput): string {
  if (isByteSource(input)) return input.name;
  if (input instanceof Uint8Array) return '<bytes>';
  if (typeof input === 'string' || input instanceof URL) return redactUrl(String(input));
  if (typeof Response !== 'undefined' && input instanceof Response) {
    return input.url === '' ? '<response>' : redactUrl(input.url);
  }
  return typeof (input as File).name === 'string' ? (input as File).name : '<blob>';
}
