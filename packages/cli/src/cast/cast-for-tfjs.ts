import type { Checkpoint, Dtype } from '@reprokit/core';
import { type CastNote, castCheckpoint } from './cast-checkpoint.js';

const TFJS_DTYPES: ReadonlySet<Dtype> = new Set(['F32', 'I32', 'BOOL']);
const FLOATS: ReadonlySet<Dtype> = new Set(['F64', 'F16', 'BF16']);
const INTEGERS: ReadonlySet<Dtype> = new Set(['I8', 'I16', 'I64', 'U8', 'U16', 'U32', 'U64']);

/**
 * Make a checkpoint tfjs can hold (float32, int32 and bool only). F16 and BF16 widen to F32
 * exactly, F64 rounds to F32, other integers become I32 when every value fits (a value that
 * does not is an error naming the tensor and element). F8 is refused. With
 * `allowCast: false` any needed cast is refused instead. Returns the notes to print.
 *
 * @example
 * const { checkpoint, notes } = castForTfjs(source, { allowCast: true, file: 'out/model.json' });
 */
export function castForTfjs(
  source: Checkpoint,
  options: { allowCast: boolean; file: string },
): { checkpoint: Checkpoint; notes: CastNote[] } {
  return castCheckpoint(source, {
    ...options,
    target: 'tfjs',
    wants: (_name, tensor) => {
      if (TFJS_DTYPES.has(tensor.dtype)) return undefined;
      if (FLOATS.has(tensor.dtype)) return 'F32';
      if (INTEGERS.has(tensor.dtype)) return 'I32';
      return 'F32'; // F8: castKind refuses it, with the reason below
    },
    reason: (from) => `tfjs cannot hold ${from}`,
  });
}
