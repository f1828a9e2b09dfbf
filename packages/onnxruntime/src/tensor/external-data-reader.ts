import { type ByteSource, bytesSource, ReprokitError } from '@reprokit/core';
import { OnnxError } from '../errors/onnx-error.js';
import type { OnnxModel } from '../model/onnx-model.js';
import type { ExternalDataReference } from './external-data-location.js';
import { ExternalDataStaleError } from './external-data-stale-error.js';
import {
  describeMismatch,
  expectedExternalTensors,
  findMismatch,
  readSafetensorsHeaderOf,
} from './safetensors-external-data.js';

/**
 * Reads initializer bytes from a model's external data: from files held in memory first, then
 * from files opened through `model.files`, one range at a time (a 2 GB weights file is never
 * read whole just to get one tensor). A file that is a safetensors file is checked against the
 * model once, when it is opened: every initializer the model reads from it must be at its named
 * tensor's exact range, dtype and shape, else `ONNX_EXTERNAL_DATA_STALE` is thrown rather than
 * wrong weights returned. Call `close()` when done.
 */
export class ExternalDataReader {
  readonly #model: OnnxModel;
  readonly #sources = new Map<string, Promise<ByteSource>>();

  constructor(model: OnnxModel) {
    this.#model = model;
  }

  /** The bytes of one reference (`length` undefined: to the end of the file). */
  async read(reference: ExternalDataReference, tensor: string): Promise<Uint8Array> {
    const source = await this.open(reference, tensor);
    const end = reference.length === undefined ? source.size : reference.offset + reference.length;
    if (reference.offset > source.size || end > source.size) {
      throw new OnnxError({
        code: 'ONNX_EXTERNAL_DATA_RANGE',
        message: `external data offset ${reference.offset} length ${reference.length ?? source.size - reference.offset} runs past the end of "${reference.location}" (${source.size} bytes)`,
        file: source.name,
        tensor,
        byteOffset: reference.offset,
      });
    }
    return source.read(reference.offset, end - reference.offset);
  }

  /** The whole file of a reference, opened and checked; it stays open until `close()`. */
  open(reference: ExternalDataReference, tensor: string): Promise<ByteSource> {
    const key = reference.normalizedLocation;
    let opened = this.#sources.get(key);
    if (opened === undefined) {
      opened = this.#openChecked(reference, tensor);
      // A failed open is not kept: close() must not see a rejected promise.
      opened.catch(() => this.#sources.delete(key));
      this.#sources.set(key, opened);
    }
    return opened;
  }

  async close(): Promise<void> {
    const sources = [...this.#sources.values()];
    this.#sources.clear();
    await Promise.all(
      sources.map((opened) => opened.then((source) => source.close()).catch(() => undefined)),
    );
  }

  async #openChecked(reference: ExternalDataReference, tensor: string): Promise<ByteSource> {
    const source = await this.#openSource(reference, tensor);
    try {
      await this.#checkSafetensors(source, reference);
      return source;
    } catch (error) {
      await source.close().catch(() => undefined);
      throw error;
    }
  }

  async #openSource(reference: ExternalDataReference, tensor: string): Promise<ByteSource> {
    const model = this.#model;
    const inMemory =
      model.externalFiles.get(reference.location) ??
      model.externalFiles.get(reference.normalizedLocation);
    if (inMemory !== undefined) return bytesSource(inMemory, reference.location);
    if (model.files === undefined) {
      throw new OnnxError({
        code: 'ONNX_EXTERNAL_DATA_MISSING',
        message: `external data "${reference.location}" is not in memory and the model has no files to open it from (it was decoded from bytes): pass it in externalFiles or files`,
        file: model.name,
        tensor,
      });
    }
    try {
      return await model.files.open(reference.normalizedLocation);
    } catch (cause) {
      if (OnnxError.isInstance(cause)) throw cause;
      const invalid = ReprokitError.isInstance(cause) && cause.code === 'STORE_INVALID_NAME';
      throw new OnnxError({
        code: invalid ? 'ONNX_EXTERNAL_DATA_PATH' : 'ONNX_EXTERNAL_DATA_MISSING',
        message: `cannot open external data "${reference.location}": ${
          ReprokitError.isInstance(cause) ? cause.detail : (cause as Error).message
        }`,
        file: (ReprokitError.isInstance(cause) ? cause.file : undefined) ?? reference.location,
        tensor,
        cause,
      });
    }
  }

  /**
   * A data file that is a safetensors file must hold every tensor this model reads from it
   * where the model says. When it does not, another save replaced it (or it was edited):
   * reading on would give wrong weights silently.
   */
  async #checkSafetensors(source: ByteSource, reference: ExternalDataReference): Promise<void> {
    const header = await readSafetensorsHeaderOf(source);
    if (header === undefined) return;
    const expected = expectedExternalTensors(this.#model, reference.normalizedLocation);
    const mismatch = findMismatch(expected, header);
    if (mismatch === undefined) return;
    throw new ExternalDataStaleError({
      message: `external data "${reference.location}" does not hold this initializer where the model says: ${describeMismatch(mismatch, header)}. The file was replaced by another save (or edited) after the model was written; refusing to read wrong weights`,
      file: source.name,
      tensor: mismatch.name,
      byteOffset: mismatch.offset,
    });
  }
}
