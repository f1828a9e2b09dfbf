import { copyFile, type FileHandle, link, mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ReprokitError, temporaryFileName, writeFileAtomic } from '@reprokit/core';
import { TensorProto_DataLocation } from 'onnx-buf';
import { forEachInitializer } from '../graph/rewrite-model.js';
import { normalizeLocation } from '../tensor/external-data-location.js';
import { ExternalDataReader } from '../tensor/external-data-reader.js';
import {
  expectedExternalTensors,
  findMismatch,
  KEPT_ORIGINAL_SUFFIX,
  readSafetensorsHeaderOf,
} from '../tensor/safetensors-external-data.js';
import { encodeOnnxModel } from './encode-onnx-model.js';
import { loadOnnxModel } from './load-onnx-model.js';
import type { OnnxModel } from './onnx-model.js';

/**
 * Write a model to `path` and every external data file it references beside it, each
 * atomically (temp file, fsync, rename), creating folders as needed. External files held in
 * memory are written; files the model references in its old folder are copied when the folder
 * changes. Data files are written before the model, so the model never points at a file that
 * is not there yet.
 *
 * Crash-safe over an earlier save, although data file names stay the same: before a data file
 * the existing `model.onnx` reads is replaced, its original is kept as a hard link
 * `<location>.reprokit-old`; the kept originals are deleted once the new `model.onnx` is in
 * place. If the save is killed in between, reprokit's readers (`readOnnxCheckpoint`,
 * `createSession` and `loadOnnxModel`'s external data) see that the old model's offsets do not
 * match the new safetensors header and read the kept original instead, so they find the old
 * model or the new one, complete (see `ExternalDataReader`). Other programs opening the files
 * directly during that window are not protected.
 *
 * @example
 * await saveOnnxModel(await writeOnnx(model, checkpoint, { externalData: 'w.safetensors' }), 'out/model.onnx');
 */
export async function saveOnnxModel(model: OnnxModel, path: string): Promise<void> {
  const target = resolve(path);
  const folder = dirname(target);
  const locations = new Map<string, { normalized: string; tensor: string }>();
  forEachInitializer(model.proto, (tensor, name) => {
    if (tensor.dataLocation !== TensorProto_DataLocation.EXTERNAL) return;
    const location = tensor.externalData.find((entry) => entry.key === 'location')?.value ?? '';
    locations.set(location, {
      normalized: normalizeLocation(location, name, model.source),
      tensor: name,
    });
  });
  const modelBytes = encodeOnnxModel(model);
  // Read only when a data file is about to be replaced: the old model can be large.
  let previous: Promise<OnnxModel | undefined> | undefined;
  const keptOriginals: string[] = [];
  const reader = new ExternalDataReader(model);
  try {
    for (const [location, { normalized, tensor }] of locations) {
      const inMemory = model.externalFiles.get(location) ?? model.externalFiles.get(normalized);
      const destination = join(folder, normalized);
      let bytes: Uint8Array | undefined;
      if (inMemory !== undefined) {
        bytes = inMemory;
      } else if (model.folder !== undefined && resolve(model.folder) !== folder) {
        const whole = { location, normalizedLocation: normalized, offset: 0, length: undefined };
        bytes = await reader.read(whole, tensor);
      }
      if (bytes === undefined) continue;
      await mkdir(dirname(destination), { recursive: true });
      previous ??= loadPreviousModel(target);
      const current = await previous;
      if (current !== undefined && (await keepOriginal(current, normalized, destination))) {
        keptOriginals.push(`${destination}${KEPT_ORIGINAL_SUFFIX}`);
      }
      await writeFileAtomic(destination, bytes);
    }
  } finally {
    await reader.close();
  }
  await mkdir(folder, { recursive: true });
  await writeFileAtomic(target, modelBytes);
  // The new model is in place: nothing reads the originals any more.
  for (const kept of keptOriginals) await unlink(kept).catch(() => undefined);
}

/** The model at `target` now, if there is one reprokit can read; its data files get kept. */
async function loadPreviousModel(target: string): Promise<OnnxModel | undefined> {
  try {
    return await loadOnnxModel(target);
  } catch {
    return undefined; // no model yet, or none we can read: nothing to protect
  }
}

/**
 * Before `destination` is replaced, make sure `<destination>.reprokit-old` holds the data the
 * current model reads from it: a hard link to the file when the file matches the model, or the
 * existing kept original when that one matches instead (an earlier save was cut short after
 * replacing the file). Returns whether a kept original exists that the end of the save must
 * delete. Files that are not safetensors files, or that the current model does not read, are
 * still linked when the model references them: the link costs nothing.
 */
async function keepOriginal(
  previous: OnnxModel,
  normalized: string,
  destination: string,
): Promise<boolean> {
  const expected = expectedExternalTensors(previous, normalized);
  if (expected.length === 0) return false;
  const kept = `${destination}${KEPT_ORIGINAL_SUFFIX}`;
  const current = await matches(destination, expected);
  if (current === 'missing') return matches(kept, expected).then((state) => state !== 'missing');
  if (current === 'mismatch' && (await matches(kept, expected)) === 'match') return true;
  // Link under a temporary name, then rename over any older kept file: atomic either way.
  const temporary = temporaryFileName(kept);
  try {
    await link(destination, temporary).catch(() => copyFile(destination, temporary));
    await rename(temporary, kept);
  } catch (cause) {
    await unlink(temporary).catch(() => undefined);
    throw new ReprokitError({
      code: 'IO_WRITE_FAILED',
      origin: 'onnxruntime',
      message: `cannot keep the original of a data file before replacing it: ${(cause as Error).message}`,
      file: destination,
      cause,
    });
  }
  return true;
}

async function matches(
  path: string,
  expected: Parameters<typeof findMismatch>[0],
): Promise<'match' | 'mismatch' | 'missing'> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
  } catch {
    return 'missing';
  }
  try {
    const { size } = await handle.stat();
    const header = await readSafetensorsHeaderOf(handle, size, path);
    // Not safetensors: nothing to check it against; keep it as it is.
    if (header === undefined) return 'match';
    return findMismatch(expected, header) === undefined ? 'match' : 'mismatch';
  } finally {
    await handle.close();
  }
}
