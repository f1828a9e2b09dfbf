import { type CheckpointTensor, type Dtype, dtypeSize, elementCount } from '@reprokit/core';
import { type TensorProto, TensorProto_DataLocation } from 'onnx-buf';
import { onnxDataTypeName, onnxDataTypeToDtype } from '../dtype/onnx-dtype.js';
import { OnnxError } from '../errors/onnx-error.js';
import { parseExternalDataReference } from './external-data-location.js';
import type { ExternalDataReader } from './external-data-reader.js';

/** The safetensors dtype of an initializer's ONNX data type, or `ONNX_UNSUPPORTED_DTYPE`. */
export function initializerDtype(dataType: number, name: string, file: string): Dtype {
  const dtype = onnxDataTypeToDtype(dataType);
  if (dtype === undefined) {
    throw new OnnxError({
      code: 'ONNX_UNSUPPORTED_DTYPE',
      message: `initializer has ONNX data type ${onnxDataTypeName(dataType)}, which has no safetensors dtype`,
      file,
      tensor: name,
    });
  }
  return dtype;
}

/** An initializer's dtype and shape, checked (known dtype, non-negative safe dims). */
export function tensorProtoSpec(
  tensor: TensorProto,
  name: string,
  file: string,
): { dtype: Dtype; shape: number[] } {
  return initializerSpec(tensor.dataType, tensor.dims, name, file);
}

/** `tensorProtoSpec` from a data type and dims alone (as a header scan finds them). */
export function initializerSpec(
  dataType: number,
  dims: readonly (bigint | number)[],
  name: string,
  file: string,
): { dtype: Dtype; shape: number[] } {
  const dtype = initializerDtype(dataType, name, file);
  const shape = dims.map((dim) => {
    const value = Number(dim);
    if (value < 0 || !Number.isSafeInteger(value)) {
      throw new OnnxError({
        code: 'ONNX_TENSOR_SIZE_MISMATCH',
        message: `initializer has an invalid dimension ${dim}`,
        file,
        tensor: name,
      });
    }
    return value;
  });
  return { dtype, shape };
}

/**
 * Decode one initializer into a `CheckpointTensor`: from `raw_data` (a view, not a copy),
 * from the typed fields (`float_data`, `int32_data` with FLOAT16/BFLOAT16/FLOAT8 bit patterns,
 * `int64_data`, `double_data`, `uint64_data`), or from external data through `reader`.
 * The byte length must equal dims times dtype size; anything else is an `OnnxError`
 * naming the initializer.
 *
 * @example
 * const tensor = await tensorProtoToCheckpointTensor(model.proto.graph!.initializer[0]!, 'w', 'model.onnx', reader);
 */
export async function tensorProtoToCheckpointTensor(
  tensor: TensorProto,
  name: string,
  file: string,
  reader: ExternalDataReader | undefined,
): Promise<CheckpointTensor> {
  const { dtype, shape } = tensorProtoSpec(tensor, name, file);
  const count = elementCount(shape);
  const expectedBytes = count * dtypeSize(dtype);
  if (tensor.segment !== undefined) {
    throw new OnnxError({
      code: 'ONNX_TENSOR_NO_DATA',
      message: 'initializer is a segment of a larger tensor; segmented tensors are not supported',
      file,
      tensor: name,
    });
  }
  let data: Uint8Array;
  if (tensor.dataLocation === TensorProto_DataLocation.EXTERNAL) {
    const reference = parseExternalDataReference(tensor, name, file);
    if (reference.length !== undefined && reference.length !== expectedBytes) {
      throw sizeMismatch(name, file, reference.length, shape, dtype, expectedBytes);
    }
    if (reader === undefined) {
      throw new OnnxError({
        code: 'ONNX_EXTERNAL_DATA_MISSING',
        message: `initializer is stored in external data "${reference.location}", which cannot be read here`,
        file,
        tensor: name,
      });
    }
    data = await reader.read(
      reference.length === undefined ? { ...reference, length: expectedBytes } : reference,
      name,
    );
  } else if (tensor.rawData.byteLength > 0 || !hasTypedData(tensor)) {
    data = tensor.rawData;
  } else {
    data = typedFieldsToBytes(tensor, dtype, count, name, file);
  }
  if (data.byteLength !== expectedBytes) {
    throw sizeMismatch(name, file, data.byteLength, shape, dtype, expectedBytes);
  }
  return { dtype, shape, data };
}

function typedField(tensor: TensorProto, dtype: Dtype): [string, number] {
  switch (dtype) {
    case 'F32':
      return ['float_data', tensor.floatData.length];
    case 'F64':
      return ['double_data', tensor.doubleData.length];
    case 'I64':
      return ['int64_data', tensor.int64Data.length];
    case 'U64':
    case 'U32':
      return ['uint64_data', tensor.uint64Data.length];
    default:
      return ['int32_data', tensor.int32Data.length];
  }
}

function hasTypedData(tensor: TensorProto): boolean {
  return (
    tensor.floatData.length > 0 ||
    tensor.int32Data.length > 0 ||
    tensor.int64Data.length > 0 ||
    tensor.doubleData.length > 0 ||
    tensor.uint64Data.length > 0
  );
}

function sizeMismatch(
  name: string,
  file: string,
  actual: number,
  shape: readonly number[],
  dtype: Dtype,
  expected: number,
): OnnxError {
  return new OnnxError({
    code: 'ONNX_TENSOR_SIZE_MISMATCH',
    message: `initializer has ${actual} bytes of data, but dims [${shape.join(',')}] of ${dtype} need ${expected}`,
    file,
    tensor: name,
  });
}

/** Which typed field ONNX uses for each dtype, and how one element is written little-endian. */
function typedFieldsToBytes(
  tensor: TensorProto,
  dtype: Dtype,
  count: number,
  name: string,
  file: string,
): Uint8Array {
  const size = dtypeSize(dtype);
  const [field, length] = typedField(tensor, dtype);
  // Checked before allocating: a damaged or hostile `dims` must not size the buffer.
  if (length !== count) {
    throw new OnnxError({
      code: 'ONNX_TENSOR_SIZE_MISMATCH',
      message: `initializer has ${length} values in ${field}, but its dims hold ${count} elements`,
      file,
      tensor: name,
    });
  }
  const bytes = new Uint8Array(count * size);
  const view = new DataView(bytes.buffer);
  switch (dtype) {
    case 'F32':
      for (let i = 0; i < count; i++) view.setFloat32(i * 4, tensor.floatData[i]!, true);
      break;
    case 'F64':
      for (let i = 0; i < count; i++) view.setFloat64(i * 8, tensor.doubleData[i]!, true);
      break;
    case 'I64':
      for (let i = 0; i < count; i++) view.setBigInt64(i * 8, tensor.int64Data[i]!, true);
      break;
    case 'U64':
      for (let i = 0; i < count; i++) view.setBigUint64(i * 8, tensor.uint64Data[i]!, true);
      break;
    case 'U32':
      for (let i = 0; i < count; i++) {
        view.setUint32(i * 4, Number(tensor.uint64Data[i]! & 0xffffffffn), true);
      }
      break;
    default: {
      // int32_data carries every type of 16 bits or less, one element per value; FLOAT16,
      // BFLOAT16 and FLOAT8 values are their bit patterns, so only the low bits are kept.
      const values = tensor.int32Data;
      if (size === 4) for (let i = 0; i < count; i++) view.setInt32(i * 4, values[i]!, true);
      else if (size === 2)
        for (let i = 0; i < count; i++) view.setUint16(i * 2, values[i]! & 0xffff, true);
      else for (let i = 0; i < count; i++) view.setUint8(i, values[i]! & 0xff);
    }
  }
  return bytes;
}
