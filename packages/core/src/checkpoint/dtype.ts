/**
 * Tensor element types, named as safetensors names them.
 * F8 variants are carried as raw bytes: reprokit keeps them but does not compute on them.
 */
export const DTYPES = [
  'F64',
  'F32',
  'F16',
  'BF16',
  'I64',
  'I32',
  'I16',
  'I8',
  'U64',
  'U32',
  'U16',
  'U8',
  'BOOL',
  'F8_E4M3',
  'F8_E5M2',
] as const;

export type Dtype = (typeof DTYPES)[number];

const BYTES_PER_ELEMENT: Readonly<Record<Dtype, number>> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U64: 8,
  U32: 4,
  U16: 2,
  U8: 1,
  BOOL: 1,
  F8_E4M3: 1,
  F8_E5M2: 1,
};

export function isDtype(value: unknown): value is Dtype {
  return typeof value === 'string' && Object.hasOwn(BYTES_PER_ELEMENT, value);
}

/** Size of one element in bytes. */
export function dtypeSize(dtype: Dtype): number {
  return BYTES_PER_ELEMENT[dtype];
}
