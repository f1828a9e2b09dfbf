import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '@reprokit/core';
import { TensorProto_DataLocation } from 'onnx-buf';
import { forEachInitializer } from '../graph/rewrite-model.js';
import { normalizeLocation } from '../tensor/external-data-location.js';
import { ExternalDataReader } from '../tensor/external-data-reader.js';
import { encodeOnnxModel } from './encode-onnx-model.js';
import type { OnnxModel } from './onnx-model.js';

/**
 * Write a model to `path` and every external data file it references beside it, each
 * atomically (temp file, fsync, rename), creating folders as needed. External files held in memory are written; files
 * the model references in its old folder are copied when the folder changes. Data files are
 * written before the model, so the model never points at a file that is not there yet.
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
  const reader = new ExternalDataReader(model);
  try {
    for (const [location, { normalized, tensor }] of locations) {
      const inMemory = model.externalFiles.get(location) ?? model.externalFiles.get(normalized);
      const destination = join(folder, normalized);
      await mkdir(dirname(destination), { recursive: true });
      if (inMemory !== undefined) {
        await writeFileAtomic(destination, inMemory);
      } else if (model.folder !== undefined && resolve(model.folder) !== folder) {
        const whole = { location, normalizedLocation: normalized, offset: 0, length: undefined };
        await writeFileAtomic(destination, await reader.read(whole, tensor));
      }
    }
  } finally {
    await reader.close();
  }
  await mkdir(folder, { recursive: true });
  await writeFileAtomic(target, modelBytes);
}
