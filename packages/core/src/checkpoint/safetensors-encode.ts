import type { Checkpoint, CheckpointTensor } from './checkpoint.js';
import { elementCount } from './checkpoint.js';
import { type Dtype, dtypeSize, isDtype } from './dtype.js';
import { SafetensorsError } from './safetensors-error.js';
import { METADATA_KEY } from './safetensors-header.js';

/*
 * The order tensors are written in: by dtype, widest elements first, in the reference
 * implementation's order, then by name compared as Unicode code points (the same as
 * comparing UTF-8 bytes). Widest first means every tensor starts at a multiple of its own
 * element size, so readers can view the data as typed arrays without copying; following the
 * reference order means the Python library writes the same bytes for the same tensors.
 */
const DTYPE_WRITE_RANK: Readonly<Record<Dtype, number>> = {
  U64: 0,
  I64: 1,
  F64: 2,
  F32: 3,
  U32: 4,
  I32: 5,
  BF16: 6,
  F16: 7,
  U16: 8,
  I16: 9,
  F8_E4M3: 10,
  F8_E5M2: 11,
  I8: 12,
  U8: 13,
  BOOL: 14,
};

/** Compare strings by Unicode code point, which orders them as their UTF-8 bytes would. */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const x = a.charCodeAt(index);
    const y = b.charCodeAt(index);
    if (x === y) continue;
    // Surrogates (0xD800-0xDFFF) stand for code points above every BMP unit.
    const xHigh = x >= 0xd800 && x <= 0xdfff;
    const yHigh = y >= 0xd800 && y <= 0xdfff;
    if (xHigh !== yHigh) return xHigh ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** A tensor in the order and position it will have in the written file. */
export interface PlannedTensor {
  readonly name: string;
  readonly tensor: CheckpointTensor;
  readonly begin: number;
  readonly end: number;
}

/** The exact bytes that precede the data, and where every tensor goes. */
export interface SafetensorsLayout {
  /** 8-byte length prefix followed by the space-padded JSON header. */
  readonly prefix: Uint8Array;
  readonly tensors: readonly PlannedTensor[];
  readonly dataLength: number;
}

const utf8Encoder = new TextEncoder();
const loneSurrogate = /\p{Surrogate}/u;

/**
 * Validate a checkpoint and plan its safetensors file: the header bytes and each tensor's
 * offsets. Throws SAFETENSORS_INVALID_TENSOR (bad dtype, shape or byte length) or
 * SAFETENSORS_INVALID_NAME (a name that is `__metadata__` or not valid Unicode).
 *
 * @example
 * const { prefix, tensors, dataLength } = planSafetensors(checkpoint);
 */
export function planSafetensors(checkpoint: Checkpoint): SafetensorsLayout {
  const named: Array<{ name: string; tensor: CheckpointTensor }> = [];
  for (const [name, tensor] of checkpoint.tensors) {
    checkName(name, 'tensor');
    checkWritableTensor(name, tensor);
    named.push({ name, tensor });
  }
  named.sort(
    (a, b) =>
      DTYPE_WRITE_RANK[a.tensor.dtype] - DTYPE_WRITE_RANK[b.tensor.dtype] ||
      compareCodePoints(a.name, b.name),
  );

  const parts: string[] = [];
  if (checkpoint.metadata.size > 0) {
    const keys = [...checkpoint.metadata.keys()].sort(compareCodePoints);
    const items = keys.map((key) => {
      const value = checkpoint.metadata.get(key);
      checkName(key, 'metadata key');
      if (typeof value !== 'string' || loneSurrogate.test(value)) {
        throw new SafetensorsError({
          code: 'SAFETENSORS_INVALID_NAME',
          message: `metadata value of ${JSON.stringify(key)} must be a well-formed string`,
        });
      }
      return `${JSON.stringify(key)}:${JSON.stringify(value)}`;
    });
    parts.push(`"${METADATA_KEY}":{${items.join(',')}}`);
  }
  const tensors: PlannedTensor[] = [];
  let offset = 0;
  for (const { name, tensor } of named) {
    const begin = offset;
    offset += tensor.data.length;
    tensors.push({ name, tensor, begin, end: offset });
    parts.push(
      `${JSON.stringify(name)}:{"dtype":"${tensor.dtype}","shape":[${tensor.shape.join(',')}],"data_offsets":[${begin},${offset}]}`,
    );
  }
  const json = utf8Encoder.encode(`{${parts.join(',')}}`);
  const headerLength = Math.ceil(json.length / 8) * 8;
  const prefix = new Uint8Array(8 + headerLength);
  new DataView(prefix.buffer).setBigUint64(0, BigInt(headerLength), true);
  prefix.set(json, 8);
  prefix.fill(0x20, 8 + json.length);
  return { prefix, tensors, dataLength: offset };
}

/**
 * Encode a checkpoint as safetensors bytes, in memory. Deterministic: the same tensors and
 * metadata give byte-identical output whatever their insertion order (see `planSafetensors`
 * for the order). The header is padded with spaces to a multiple of 8 bytes.
 *
 * @example
 * const bytes = encodeSafetensors(createCheckpoint([['w', fromTypedArray('F32', [2], [1, 2])]]));
 */
export function encodeSafetensors(checkpoint: Checkpoint): Uint8Array {
  const layout = planSafetensors(checkpoint);
  const out = new Uint8Array(layout.prefix.length + layout.dataLength);
  out.set(layout.prefix, 0);
  for (const planned of layout.tensors) {
    out.set(planned.tensor.data, layout.prefix.length + planned.begin);
  }
  return out;
}

function checkName(name: string, what: string): void {
  if (typeof name !== 'string' || loneSurrogate.test(name)) {
    throw new SafetensorsError({
      code: 'SAFETENSORS_INVALID_NAME',
      message: `${what} name must be a well-formed Unicode string`,
      ...(typeof name === 'string' ? { tensor: name } : {}),
    });
  }
  if (what === 'tensor' && name === METADATA_KEY) {
    throw new SafetensorsError({
      code: 'SAFETENSORS_INVALID_NAME',
      message: `"${METADATA_KEY}" is reserved for metadata and cannot name a tensor`,
      tensor: name,
    });
  }
}

function checkWritableTensor(name: string, tensor: CheckpointTensor): void {
  const fail = (message: string): never => {
    throw new SafetensorsError({ code: 'SAFETENSORS_INVALID_TENSOR', message, tensor: name });
  };
  if (!isDtype(tensor.dtype)) fail(`unknown dtype ${JSON.stringify(tensor.dtype)}`);
  if (
    !Array.isArray(tensor.shape) ||
    !tensor.shape.every((d) => Number.isSafeInteger(d) && d >= 0)
  ) {
    fail(`shape must be non-negative integers, got ${JSON.stringify(tensor.shape)}`);
  }
  if (!(tensor.data instanceof Uint8Array)) fail('data must be a Uint8Array');
  const expected = elementCount(tensor.shape) * dtypeSize(tensor.dtype);
  if (tensor.data.length !== expected) {
    fail(
      `${tensor.dtype} [${tensor.shape.join(',')}] needs ${expected} bytes, data has ${tensor.data.length}`,
    );
  }
}
