import type { Dtype } from '@reprokit/core';
import { type H5Metadata, H5T_ENUM, H5T_FLOAT, H5T_INTEGER, H5T_OPAQUE } from './h5-file-reader.js';

const INTEGER: Readonly<Record<number, readonly [Dtype, Dtype]>> = {
  1: ['I8', 'U8'],
  2: ['I16', 'U16'],
  4: ['I32', 'U32'],
  8: ['I64', 'U64'],
};

const FLOAT: Readonly<Record<number, Dtype>> = { 2: 'F16', 4: 'F32', 8: 'F64' };

/** Keras' `dtype` attribute values for data h5py stores as opaque bytes (ml_dtypes types). */
const TAGGED_OPAQUE: Readonly<Record<string, { dtype: Dtype; size: number }>> = {
  bfloat16: { dtype: 'BF16', size: 2 },
  float8_e4m3fn: { dtype: 'F8_E4M3', size: 1 },
  float8_e5m2: { dtype: 'F8_E5M2', size: 1 },
};

/**
 * The checkpoint dtype of an HDF5 dataset, or a reason it has none. Integers and IEEE floats of
 * 2, 4 and 8 bytes map directly (h5wasm delivers them little-endian whatever the file's order);
 * h5py's boolean enum (`FALSE`/`TRUE` over one byte) is `BOOL`; Keras 3 stores `bfloat16`
 * weights as 2-byte opaque data with a `dtype="bfloat16"` attribute, which is `BF16`.
 *
 * @example
 * checkpointDtypeOf({ type: 1, size: 4, ... }, undefined); // { dtype: 'F32' }
 */
export function checkpointDtypeOf(
  info: H5Metadata,
  dtypeAttribute: string | undefined,
): { dtype: Dtype } | { reason: string } {
  if (dtypeAttribute !== undefined && Object.hasOwn(TAGGED_OPAQUE, dtypeAttribute)) {
    const tagged = TAGGED_OPAQUE[dtypeAttribute]!;
    if (info.size === tagged.size && (info.type === H5T_OPAQUE || info.type === H5T_INTEGER)) {
      return { dtype: tagged.dtype };
    }
    return {
      reason: `its dtype attribute says ${dtypeAttribute} but it stores ${info.size}-byte elements of HDF5 class ${className(info.type)}`,
    };
  }
  if (info.type === H5T_INTEGER) {
    const pair = INTEGER[info.size];
    if (pair !== undefined) return { dtype: info.signed ? pair[0] : pair[1] };
  }
  if (info.type === H5T_FLOAT) {
    const dtype = FLOAT[info.size];
    if (dtype !== undefined) return { dtype };
  }
  if (info.type === H5T_ENUM && info.size === 1 && isBooleanEnum(info)) return { dtype: 'BOOL' };
  if (info.type === H5T_OPAQUE) {
    return {
      reason: `it stores ${info.size}-byte opaque elements without a dtype attribute naming them (Keras tags bfloat16 weights with dtype="bfloat16")`,
    };
  }
  return { reason: `HDF5 ${className(info.type)} of ${info.size} bytes has no checkpoint dtype` };
}

function isBooleanEnum(info: H5Metadata): boolean {
  const members = info.enum_type?.members;
  if (members === undefined) return false;
  const names = Object.keys(members);
  return names.length === 2 && members.FALSE === 0 && members.TRUE === 1;
}

const CLASS_NAMES = [
  'integer',
  'float',
  'time',
  'string',
  'bitfield',
  'opaque',
  'compound',
  'reference',
  'enum',
  'variable-length',
  'array',
];

function className(type: number): string {
  return CLASS_NAMES[type] ?? `class ${type}`;
}
