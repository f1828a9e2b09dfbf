import { TensorProto_DataLocation } from 'onnx-buf';
import { forEachInitializer, rewriteModel } from '../graph/rewrite-model.js';
import type { OnnxModel } from '../model/onnx-model.js';
import { externalTensorData } from '../tensor/checkpoint-tensor-to-tensor-proto.js';
import {
  type ExternalDataReference,
  parseExternalDataReference,
} from '../tensor/external-data-location.js';
import { ExternalDataReader } from '../tensor/external-data-reader.js';

/** Prefix of the in-memory files holding ranges read from external data; only ORT sees them. */
export const SESSION_RANGE_LOCATION_PREFIX = 'reprokit-range-';

/** One `sessionOptions.externalData` entry: a file ORT takes from memory, or from a URL. */
export interface ExternalDataEntry {
  readonly path: string;
  readonly data: Uint8Array | string;
}

export interface CollectExternalDataOptions {
  /**
   * For onnxruntime-web: the URL of an external data file, by its location as written in the
   * model; ORT then fetches the file itself (whole) and reprokit reads none of it. Return
   * `undefined` to have that file read by range as usual.
   */
  externalDataUrl?: ((location: string) => string | undefined) | undefined;
}

/**
 * The model as ORT gets it and the `externalData` entries it needs. Files held in
 * `model.externalFiles` are handed over as they are (zero copy). Files opened through
 * `model.files` (a folder, a Blob, a URL) are not read whole: only the byte ranges the
 * initializers name are read, all reads of a file issued together (an HTTP source merges
 * neighbouring ones into one request), each range becoming an in-memory file of its own that
 * the initializer is pointed at. A 2 GB data file of which the model uses 300 MB costs 300 MB.
 */
export async function collectExternalData(
  model: OnnxModel,
  options: CollectExternalDataOptions = {},
): Promise<{ model: OnnxModel; entries: ExternalDataEntry[] }> {
  const references = new Map<string, ExternalDataReference>();
  forEachInitializer(model.proto, (tensor, name) => {
    if (tensor.dataLocation !== TensorProto_DataLocation.EXTERNAL) return;
    references.set(name, parseExternalDataReference(tensor, name, model.name));
  });
  if (references.size === 0) return { model, entries: [] };
  const entries: ExternalDataEntry[] = [];
  const ranges = new Map<string, { location: string; offset: number; length: number }>();
  const reader = new ExternalDataReader(model);
  try {
    const handedWhole = new Set<string>();
    const toRead: Array<[string, ExternalDataReference]> = [];
    for (const [name, reference] of references) {
      if (handedWhole.has(reference.location)) continue;
      const inMemory =
        model.externalFiles.get(reference.location) ??
        model.externalFiles.get(reference.normalizedLocation);
      const url =
        inMemory === undefined ? options.externalDataUrl?.(reference.location) : undefined;
      if (inMemory !== undefined) {
        // Opening checks a safetensors file against the model; nothing is copied.
        await reader.open(reference, name);
        handedWhole.add(reference.location);
        entries.push({ path: reference.location, data: inMemory });
      } else if (url !== undefined) {
        handedWhole.add(reference.location);
        entries.push({ path: reference.location, data: url });
      } else {
        toRead.push([name, reference]);
      }
    }
    // Same range, same in-memory file: initializers sharing bytes are read once.
    const byRange = new Map<string, Promise<{ location: string; data: Uint8Array }>>();
    const taken = new Set(model.externalFiles.keys());
    let next = 0;
    const locationFor = () => {
      while (taken.has(`${SESSION_RANGE_LOCATION_PREFIX}${next}.bin`)) next++;
      const location = `${SESSION_RANGE_LOCATION_PREFIX}${next}.bin`;
      taken.add(location);
      return location;
    };
    const reads = toRead.map(async ([name, reference]) => {
      const key = `${reference.normalizedLocation}\0${reference.offset}\0${reference.length ?? ''}`;
      let read = byRange.get(key);
      if (read === undefined) {
        const location = locationFor();
        read = reader.read(reference, name).then((data) => ({ location, data }));
        byRange.set(key, read);
      }
      const { location, data } = await read;
      ranges.set(name, { location, offset: 0, length: data.byteLength });
      return { location, data };
    });
    const seen = new Set<string>();
    for (const { location, data } of await Promise.all(reads)) {
      if (seen.has(location)) continue;
      seen.add(location);
      entries.push({ path: location, data });
    }
  } finally {
    await reader.close();
  }
  if (ranges.size === 0) return { model, entries };
  const proto = rewriteModel(model.proto, {
    initializer(tensor, name) {
      const range = ranges.get(name);
      return range === undefined
        ? undefined
        : externalTensorData(tensor, range.location, range.offset, range.length);
    },
  });
  return { model: { ...model, proto }, entries };
}
