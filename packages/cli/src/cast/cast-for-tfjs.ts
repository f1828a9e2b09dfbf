import {
  type Checkpoint,
  type CheckpointTensor,
  createCheckpoint,
  type Dtype,
  fromTypedArray,
  toTypedArray,
} from '@reprokit/core';
import { CliError } from '../errors/cli-error.js';

/** A group of tensors converted from one dtype to another, reported on stderr. */
export interface CastNote {
  readonly from: Dtype;
  readonly to: Dtype;
  readonly tensors: readonly string[];
  /** `true` when every value survives the cast exactly. */
  readonly exact: boolean;
}

const TFJS_DTYPES: ReadonlySet<Dtype> = new Set(['F32', 'I32', 'BOOL']);

/** Dtypes tfjs cannot hold, the dtype each becomes, and whether the change is exact. */
const TFJS_CASTS: Partial<Record<Dtype, { to: 'F32' | 'I32'; exact: boolean }>> = {
  F16: { to: 'F32', exact: true },
  BF16: { to: 'F32', exact: true },
  F64: { to: 'F32', exact: false },
  I8: { to: 'I32', exact: true },
  I16: { to: 'I32', exact: true },
  U8: { to: 'I32', exact: true },
  U16: { to: 'I32', exact: true },
  // Exact only while every value fits in an int32: checked per element, refused otherwise.
  U32: { to: 'I32', exact: true },
  I64: { to: 'I32', exact: true },
  U64: { to: 'I32', exact: true },
};

/**
 * Make a checkpoint tfjs can hold (float32, int32 and bool only). Half floats and bfloat16
 * widen to F32 exactly, F64 rounds to F32, and small or 64-bit integers become I32 when every
 * value fits (a value that does not fit is an error naming the tensor and element).
 * With `allowCast: false` any needed cast is refused instead. Returns the notes to print.
 *
 * @example
 * const { checkpoint, notes } = castForTfjs(source, { allowCast: true, file: 'out/model.json' });
 */
export function castForTfjs(
  source: Checkpoint,
  options: { allowCast: boolean; file: string },
): { checkpoint: Checkpoint; notes: CastNote[] } {
  const needed = [...source.tensors].filter(([, tensor]) => !TFJS_DTYPES.has(tensor.dtype));
  const impossible = needed.find(([, tensor]) => TFJS_CASTS[tensor.dtype] === undefined);
  if (impossible !== undefined) {
    throw new CliError({
      code: 'CLI_CAST_REFUSED',
      file: options.file,
      tensor: impossible[0],
      message: `tfjs cannot hold ${impossible[1].dtype} and reprokit does not convert it`,
    });
  }
  const first = needed[0];
  if (first !== undefined && !options.allowCast) {
    // Every refused tensor is named, so one run shows everything --no-cast objects to.
    const listed = needed.map(([name, tensor]) => `"${name}" (${tensor.dtype})`);
    throw new CliError({
      code: 'CLI_CAST_REFUSED',
      file: options.file,
      tensor: first[0],
      message: `tfjs cannot hold ${listed.length} tensor(s) without a dtype conversion, refused by --no-cast: ${summarizeList(listed)}`,
    });
  }
  const notes = new Map<string, { from: Dtype; to: Dtype; exact: boolean; tensors: string[] }>();
  const entries: [string, CheckpointTensor][] = [];
  for (const [name, tensor] of source.tensors) {
    const cast = TFJS_CASTS[tensor.dtype];
    if (TFJS_DTYPES.has(tensor.dtype) || cast === undefined) {
      entries.push([name, tensor]);
      continue;
    }
    entries.push([name, castTensor(tensor, cast.to, name, options.file)]);
    const key = `${tensor.dtype}->${cast.to}`;
    const note = notes.get(key) ?? {
      from: tensor.dtype,
      to: cast.to,
      exact: cast.exact,
      tensors: [],
    };
    note.tensors.push(name);
    notes.set(key, note);
  }
  return { checkpoint: createCheckpoint(entries, source.metadata), notes: [...notes.values()] };
}

function summarizeList(items: readonly string[]): string {
  const more = items.length > 3 ? ` and ${items.length - 3} more` : '';
  return `${items.slice(0, 3).join(', ')}${more}`;
}

/** The stderr line for one note. */
export function describeCastNote(note: CastNote, target: string): string {
  const how = note.exact ? 'exact' : 'values rounded';
  const names = summarizeList(note.tensors.map((name) => `"${name}"`));
  return `reprokit: note: ${target} cannot hold ${note.from}: converted ${note.tensors.length} tensor(s) to ${note.to} (${how}): ${names}\n`;
}

function castTensor(
  tensor: CheckpointTensor,
  to: 'F32' | 'I32',
  name: string,
  file: string,
): CheckpointTensor {
  const values = toTypedArray(tensor);
  if (to === 'F32') return fromTypedArray('F32', tensor.shape, Float32Array.from(values, Number));
  const integers = new Int32Array(values.length);
  for (let index = 0; index < values.length; index++) {
    const value = values[index]!;
    if (value < -2147483648 || value > 2147483647) {
      throw new CliError({
        code: 'CLI_CAST_OUT_OF_RANGE',
        file,
        tensor: name,
        message: `element ${index} (${value}) of ${tensor.dtype} does not fit in I32, which tfjs needs`,
      });
    }
    integers[index] = Number(value);
  }
  return fromTypedArray('I32', tensor.shape, integers);
}
