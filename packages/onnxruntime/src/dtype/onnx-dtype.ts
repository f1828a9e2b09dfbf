import type { Dtype } from '@reprokit/core';
import { TensorProto_DataType } from 'onnx-buf';

const ONNX_TO_DTYPE: ReadonlyMap<number, Dtype> = new Map<number, Dtype>([
  [TensorProto_DataType.FLOAT, 'F32'],
  [TensorProto_DataType.UINT8, 'U8'],
  [TensorProto_DataType.INT8, 'I8'],
  [TensorProto_DataType.UINT16, 'U16'],
  [TensorProto_DataType.INT16, 'I16'],
  [TensorProto_DataType.INT32, 'I32'],
  [TensorProto_DataType.INT64, 'I64'],
  [TensorProto_DataType.BOOL, 'BOOL'],
  [TensorProto_DataType.FLOAT16, 'F16'],
  [TensorProto_DataType.DOUBLE, 'F64'],
  [TensorProto_DataType.UINT32, 'U32'],
  [TensorProto_DataType.UINT64, 'U64'],
  [TensorProto_DataType.BFLOAT16, 'BF16'],
  // Only the IEEE-like FN/E5M2 variants match safetensors' F8 types; the FNUZ ones encode
  // zero and NaN differently, so mapping them would silently change values.
  [TensorProto_DataType.FLOAT8E4M3FN, 'F8_E4M3'],
  [TensorProto_DataType.FLOAT8E5M2, 'F8_E5M2'],
]);

const DTYPE_TO_ONNX: ReadonlyMap<Dtype, TensorProto_DataType> = new Map(
  [...ONNX_TO_DTYPE].map(([onnx, dtype]) => [dtype, onnx as TensorProto_DataType]),
);

/**
 * The safetensors dtype of an ONNX `TensorProto.DataType`, or `undefined` when safetensors has
 * none (STRING, COMPLEX64/128, the FNUZ float8 variants, 4-bit and 2-bit types, FLOAT8E8M0).
 *
 * @example
 * onnxDataTypeToDtype(TensorProto_DataType.FLOAT16); // 'F16'
 * onnxDataTypeToDtype(TensorProto_DataType.STRING); // undefined
 */
export function onnxDataTypeToDtype(dataType: number): Dtype | undefined {
  return ONNX_TO_DTYPE.get(dataType);
}

/**
 * The ONNX `TensorProto.DataType` number of a safetensors dtype. Every reprokit dtype has one.
 *
 * @example
 * dtypeToOnnxDataType('BF16'); // 16 (TensorProto_DataType.BFLOAT16)
 */
export function dtypeToOnnxDataType(dtype: Dtype): TensorProto_DataType {
  const dataType = DTYPE_TO_ONNX.get(dtype);
  if (dataType === undefined) throw new TypeError(`no ONNX data type for dtype ${dtype}`);
  return dataType;
}

/**
 * The ONNX name of a data type number (`FLOAT`, `BFLOAT16`, ...), for error messages;
 * `#<n>` for numbers the ONNX 1.20 schema does not define.
 *
 * @example
 * onnxDataTypeName(1); // 'FLOAT'
 */
export function onnxDataTypeName(dataType: number): string {
  return TensorProto_DataType[dataType] ?? `#${dataType}`;
}
