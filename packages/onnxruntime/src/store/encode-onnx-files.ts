import type { ByteSource, EncodedCheckpoint, EncodedFile } from '@reprokit/core';
import { TensorProto_DataLocation } from 'onnx-buf';
import { OnnxError } from '../errors/onnx-error.js';
import { copyMessage, forEachInitializer, rewriteModel } from '../graph/rewrite-model.js';
import { encodeOnnxModel } from '../model/encode-onnx-model.js';
import type { OnnxModel } from '../model/onnx-model.js';
import { embedKeptInitializers } from '../tensor/embed-kept-initializers.js';
import {
  type ExternalDataReference,
  parseExternalDataReference,
} from '../tensor/external-data-location.js';
import { ExternalDataReader } from '../tensor/external-data-reader.js';

// Data files not held in memory are copied in pieces of this size, never read whole.
const COPY_PIECE = 8 << 20;

export interface EncodeOnnxFilesOptions {
  /**
   * Data files (normalized locations) that are already where the save puts them, unchanged:
   * they are named by the entry but not written again.
   */
  inPlace?: (location: string) => boolean;
}

/**
 * The files of a save of `model`, for `writeCheckpoint`: every external data file it references
 * as a data file (from `model.externalFiles`, or copied from `model.files`), and the model as
 * the entry, naming each data file by the name the save gives it. Initializers that ONNX
 * Runtime cannot take from external data are embedded first (`embedKeptInitializers`), so the
 * saved model loads in ORT from its path and from bytes. Every data file is opened here, so a
 * missing one fails before anything is written.
 *
 * @example
 * const files = await encodeOnnxFiles(await writeOnnx(graph, checkpoint, { externalData: 'model.safetensors' }));
 * files.dataFiles.map((file) => file.name); // ['model.safetensors']
 */
export async function encodeOnnxFiles(
  input: OnnxModel,
  options: EncodeOnnxFilesOptions = {},
): Promise<EncodedCheckpoint> {
  const { model } = await embedKeptInitializers(input);
  const references = new Map<string, { reference: ExternalDataReference; tensor: string }>();
  forEachInitializer(model.proto, (tensor, name) => {
    if (tensor.dataLocation !== TensorProto_DataLocation.EXTERNAL) return;
    const reference = parseExternalDataReference(tensor, name, model.name);
    if (!references.has(reference.normalizedLocation)) {
      references.set(reference.normalizedLocation, { reference, tensor: name });
    }
  });
  const dataFiles: EncodedFile[] = [];
  const reader = new ExternalDataReader(model);
  try {
    for (const [location, { reference, tensor }] of references) {
      const inMemory =
        model.externalFiles.get(reference.location) ?? model.externalFiles.get(location);
      if (inMemory !== undefined) {
        dataFiles.push({ name: location, chunks: [inMemory] });
      } else {
        // Opened (and checked against the model) now, so a missing or replaced file fails
        // before anything is written; copied when the save writes it.
        const size = (await reader.open(reference, tensor)).size;
        if (options.inPlace?.(location) !== true) {
          dataFiles.push({ name: location, chunks: copyOf(model, reference, tensor, size) });
        }
      }
    }
  } finally {
    await reader.close();
  }
  const written = new Set(dataFiles.map((file) => file.name));
  // Validated now: a model over the protobuf limit fails before any file is written.
  const embeddedOnly = dataFiles.length === 0 ? encodeOnnxModel(model) : undefined;
  return {
    dataFiles,
    entry(nameOf) {
      if (embeddedOnly !== undefined) return { name: '', chunks: [embeddedOnly] };
      const proto = rewriteModel(model.proto, {
        initializer(tensor, name) {
          if (tensor.dataLocation !== TensorProto_DataLocation.EXTERNAL) return undefined;
          const { normalizedLocation } = parseExternalDataReference(tensor, name, model.name);
          if (!written.has(normalizedLocation)) return undefined;
          const externalData = tensor.externalData.map((entry) =>
            entry.key === 'location'
              ? copyMessage(entry, { value: nameOf(normalizedLocation) })
              : entry,
          );
          return copyMessage(tensor, { externalData });
        },
      });
      return { name: '', chunks: [encodeOnnxModel({ ...model, proto })] };
    },
  };
}

/** The whole external file, read in pieces through a reader of its own when the save asks. */
async function* copyOf(
  model: OnnxModel,
  reference: ExternalDataReference,
  tensor: string,
  size: number,
): AsyncGenerator<Uint8Array> {
  const reader = new ExternalDataReader(model);
  try {
    const source: ByteSource = await reader.open(reference, tensor);
    if (source.size !== size) {
      throw new OnnxError({
        code: 'ONNX_EXTERNAL_DATA_RANGE',
        message: `external data "${reference.location}" changed size during the save (${size} then ${source.size} bytes)`,
        file: source.name,
        tensor,
      });
    }
    for (let offset = 0; offset < size; offset += COPY_PIECE) {
      yield await source.read(offset, Math.min(COPY_PIECE, size - offset));
    }
  } finally {
    await reader.close();
  }
}
