import { type FileHandle, open, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { OnnxError } from '../errors/onnx-error.js';
import type { OnnxModel } from '../model/onnx-model.js';
import type { ExternalDataReference } from './external-data-location.js';

/**
 * Reads initializer bytes from a model's external data: from files held in memory first,
 * then from the model's folder, one range at a time (a 2 GB weights file is never read whole
 * just to get one tensor). Call `close()` when done.
 */
export class ExternalDataReader {
  readonly #model: OnnxModel;
  readonly #handles = new Map<
    string,
    Promise<{ handle: FileHandle; size: number; path: string }>
  >();

  constructor(model: OnnxModel) {
    this.#model = model;
  }

  async read(reference: ExternalDataReference, tensor: string): Promise<Uint8Array> {
    const inMemory =
      this.#model.externalFiles.get(reference.location) ??
      this.#model.externalFiles.get(reference.normalizedLocation);
    if (inMemory !== undefined) {
      const end = this.#checkRange(reference, inMemory.byteLength, reference.location, tensor);
      return inMemory.subarray(reference.offset, end);
    }
    const { handle, size, path } = await this.#open(reference, tensor);
    const end = this.#checkRange(reference, size, path, tensor);
    const bytes = new Uint8Array(end - reference.offset);
    let done = 0;
    while (done < bytes.byteLength) {
      const { bytesRead } = await handle.read(
        bytes,
        done,
        bytes.byteLength - done,
        reference.offset + done,
      );
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    if (done !== bytes.byteLength) {
      throw new OnnxError({
        code: 'ONNX_EXTERNAL_DATA_RANGE',
        message: `external data file ended after ${done} of ${bytes.byteLength} bytes`,
        file: path,
        tensor,
        byteOffset: reference.offset + done,
      });
    }
    return bytes;
  }

  async close(): Promise<void> {
    const handles = [...this.#handles.values()];
    this.#handles.clear();
    await Promise.all(
      handles.map((opened) => opened.then(({ handle }) => handle.close()).catch(() => undefined)),
    );
  }

  #checkRange(
    reference: ExternalDataReference,
    size: number,
    file: string,
    tensor: string,
  ): number {
    const end = reference.length === undefined ? size : reference.offset + reference.length;
    if (reference.offset > size || end > size) {
      throw new OnnxError({
        code: 'ONNX_EXTERNAL_DATA_RANGE',
        message: `external data offset ${reference.offset} length ${reference.length ?? size - reference.offset} runs past the end of "${reference.location}" (${size} bytes)`,
        file,
        tensor,
        byteOffset: reference.offset,
      });
    }
    return end;
  }

  #open(reference: ExternalDataReference, tensor: string) {
    const folder = this.#model.folder;
    if (folder === undefined) {
      return Promise.reject(
        new OnnxError({
          code: 'ONNX_EXTERNAL_DATA_MISSING',
          message: `external data "${reference.location}" is not in memory and the model has no folder (it was loaded from bytes): pass the file through externalFiles`,
          file: this.#model.source,
          tensor,
        }),
      );
    }
    let opened = this.#handles.get(reference.normalizedLocation);
    if (opened === undefined) {
      const path = join(folder, reference.normalizedLocation);
      opened = (async () => {
        let real: string;
        let realFolder: string;
        try {
          [real, realFolder] = await Promise.all([realpath(path), realpath(folder)]);
        } catch (cause) {
          throw new OnnxError({
            code: 'ONNX_EXTERNAL_DATA_MISSING',
            message: `cannot open external data "${reference.location}": ${(cause as Error).message}`,
            file: path,
            tensor,
            cause,
          });
        }
        // The location text is checked already; a symlink inside the folder could still lead out.
        if (!real.startsWith(realFolder + sep)) {
          throw new OnnxError({
            code: 'ONNX_EXTERNAL_DATA_PATH',
            message: `external data location "${reference.location}" resolves outside the model's folder (through a symbolic link)`,
            file: path,
            tensor,
          });
        }
        try {
          const handle = await open(real, 'r');
          const { size } = await handle.stat();
          return { handle, size, path };
        } catch (cause) {
          throw new OnnxError({
            code: 'ONNX_EXTERNAL_DATA_MISSING',
            message: `cannot open external data "${reference.location}": ${(cause as Error).message}`,
            file: path,
            tensor,
            cause,
          });
        }
      })();
      // A failed open is not cached as a rejected promise that would leak into close().
      opened.catch(() => this.#handles.delete(reference.normalizedLocation));
      this.#handles.set(reference.normalizedLocation, opened);
    }
    return opened;
  }
}
