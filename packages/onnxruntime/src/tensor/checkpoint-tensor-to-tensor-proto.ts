import { create } from '@bufbuild/protobuf';
import type { SafetensorsHeader } from '@reprokit/core';
import { StringStringEntryProtoSchema, type TensorProto, TensorProto_DataLocation } from 'onnx-buf';
import { copyMessage } from '../graph/rewrite-model.js';

const EMPTY_TYPED_FIELDS = {
  floatData: [],
  int32Data: [],
  int64Data: [],
  doubleData: [],
  uint64Data: [],
  stringData: [],
  externalData: [],
} satisfies Partial<TensorProto>;

/**
 * A copy of `original` (name, dims, dtype, doc string kept) whose data is `data` in
 * `raw_data`. Typed fields and external data entries are cleared so that exactly one source
 * of values remains, as ONNX requires.
 */
export function embedTensorData(original: TensorProto, data: Uint8Array): TensorProto {
  const copy = copyMessage(original, {
    ...EMPTY_TYPED_FIELDS,
    rawData: data as Uint8Array<ArrayBuffer>,
  });
  // proto2 presence: deleting the own property unsets the field, so the encoding carries no
  // data_location at all (as most exporters write it) rather than an explicit DEFAULT.
  delete (copy as { dataLocation?: unknown }).dataLocation;
  return copy;
}

/**
 * A copy of `original` whose data lives at `offset` for `length` bytes in the external file
 * `location` (relative to the model's folder).
 */
export function externalTensorData(
  original: TensorProto,
  location: string,
  offset: number,
  length: number,
): TensorProto {
  const copy = copyMessage(original, {
    ...EMPTY_TYPED_FIELDS,
    dataLocation: TensorProto_DataLocation.EXTERNAL,
    externalData: [
      create(StringStringEntryProtoSchema, { key: 'location', value: location }),
      create(StringStringEntryProtoSchema, { key: 'offset', value: String(offset) }),
      create(StringStringEntryProtoSchema, { key: 'length', value: String(length) }),
    ],
  });
  delete (copy as { rawData?: unknown }).rawData;
  return copy;
}

/**
 * `original` pointed at its own tensor inside a safetensors file `location` (the tensor of the
 * same name in `header`: `offset = 8 + headerLength + begin`, `length = end - begin`), or
 * undefined when the file holds no tensor of that name. Used wherever a model's initializers
 * are made to read straight from a checkpoint file.
 */
export function safetensorsTensorData(
  original: TensorProto,
  name: string,
  location: string,
  header: SafetensorsHeader,
): TensorProto | undefined {
  const entry = header.tensors.get(name);
  if (entry === undefined) return undefined;
  return externalTensorData(
    original,
    location,
    header.dataStart + entry.begin,
    entry.end - entry.begin,
  );
}
