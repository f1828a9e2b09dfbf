import { type FileHandle, open, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { OnnxError } from '../errors/onnx-error.js';
import type { OnnxModel } from '../model/onnx-model.js';
import type { ExternalDataReference } from './external-data-location.js';
import { ExternalDataStaleError } from './external-data-stale-error.js';
import {
  describeMismatch,
  expectedExternalTensors,
  findMismatch,
  KEPT_ORIGINAL_SUFFIX,
  readSafetensorsHeaderOf,
} from './safetensors-external-data.js';

/**
 * Reads initializer bytes from a model's external data: from files held in memory first,
 * then from the model's folder, one range at a time (a 2 GB weights file is never read whole
 * just to get one tensor). A file on disk that is a safetensors file is checked against the
 * model first (every initializer at its named tensor's exact range, dtype and shape); on a
 * mismatch the `<file>.reprokit-old` original a cut-short `saveOnnxModel` kept is used if it
 * matches, else `ONNX_EXTERNAL_DATA_STALE` is thrown. Call `close()` when done.
 */
export class ExternalDataReader {
  readonly #model: OnnxModel;
  readonly #handles = new Map<string, Promise<OpenedFile>>();

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

  #open(reference: ExternalDataReference, tensor: string): Promise<OpenedFile> {
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
        const main = await openInsideFolder(folder, path, reference.location, tensor);
        try {
          return await this.#checkSafetensors(main, folder, reference);
        } catch (error) {
          await main.handle.close().catch(() => undefined);
          throw error;
        }
      })();
      // A failed open is not cached as a rejected promise that would leak into close().
      opened.catch(() => this.#handles.delete(reference.normalizedLocation));
      this.#handles.set(reference.normalizedLocation, opened);
    }
    return opened;
  }

  /**
   * A data file that is a safetensors file must hold every tensor this model reads from it
   * where the model says. When it does not (a save replaced it and was cut short before the
   * model), the original that `saveOnnxModel` keeps beside it is used if it matches; the
   * choice is made once per file, so all tensors come from the same one.
   */
  async #checkSafetensors(
    main: OpenedFile,
    folder: string,
    reference: ExternalDataReference,
  ): Promise<OpenedFile> {
    const header = await readSafetensorsHeaderOf(main.handle, main.size, main.path);
    if (header === undefined) return main;
    const expected = expectedExternalTensors(this.#model, reference.normalizedLocation);
    const mismatch = findMismatch(expected, header);
    if (mismatch === undefined) return main;
    const keptPath = `${main.path}${KEPT_ORIGINAL_SUFFIX}`;
    const kept = await openInsideFolder(folder, keptPath, reference.location, mismatch.name).catch(
      () => undefined,
    );
    if (kept !== undefined) {
      const keptHeader = await readSafetensorsHeaderOf(kept.handle, kept.size, kept.path);
      if (keptHeader !== undefined && findMismatch(expected, keptHeader) === undefined) {
        await main.handle.close().catch(() => undefined);
        return kept;
      }
      await kept.handle.close().catch(() => undefined);
    }
    throw new ExternalDataStaleError({
      message: `external data "${reference.location}" does not hold this initializer where the model says: ${describeMismatch(mismatch, header)}. The file was replaced by another save (or edited) and no matching ${KEPT_ORIGINAL_SUFFIX} original is beside it; refusing to read wrong weights`,
      file: main.path,
      tensor: mismatch.name,
      byteOffset: mismatch.offset,
    });
  }
}

interface OpenedFile {
  handle: FileHandle;
  size: number;
  path: string;
}

async function openInsideFolder(
  folder: string,
  path: string,
  location: string,
  tensor: string,
): Promise<OpenedFile> {
  let real: string;
  let realFolder: string;
  try {
    [real, realFolder] = await Promise.all([realpath(path), realpath(folder)]);
  } catch (cause) {
    throw new OnnxError({
      code: 'ONNX_EXTERNAL_DATA_MISSING',
      message: `cannot open external data "${location}": ${(cause as Error).message}`,
      file: path,
      tensor,
      cause,
    });
  }
  // The location text is checked already; a symlink inside the folder could still lead out.
  if (!real.startsWith(realFolder + sep)) {
    throw new OnnxError({
      code: 'ONNX_EXTERNAL_DATA_PATH',
      message: `external data location "${location}" resolves outside the model's folder (through a symbolic link)`,
      file: path,
      tensor,
    });
  }
  try {
    const handle = await open(real, 'r');
    try {
      const { size } = await handle.stat();
      return { handle, size, path };
    } catch (cause) {
      await handle.close().catch(() => undefined);
      throw cause;
    }
  } catch (cause) {
    throw new OnnxError({
      code: 'ONNX_EXTERNAL_DATA_MISSING',
      message: `cannot open external data "${location}": ${(cause as Error).message}`,
      file: path,
      tensor,
      cause,
    });
  }
}
