import type { CheckpointTensor } from '../checkpoint/checkpoint.js';
import { elementCount } from '../checkpoint/checkpoint.js';
import { dtypeSize } from '../checkpoint/dtype.js';
import { formatShape } from '../checkpoint/write-report.js';
import { MappingError } from './mapping-error.js';
import { assertTensorBytes, normaliseAxis } from './tensor-bytes.js';

/**
 * Reorders equal blocks ("gates") along one axis. `from` names the blocks as they are
 * stored, one letter each, and `to` the order wanted: recurrent layers stack their gates
 * differently per framework (ONNX LSTM `iofc`, Keras `ifco`; GRU `zrh` in both). The axis
 * length must be a multiple of the number of gates and `to` a rearrangement of `from`,
 * else `MAPPING_GATE_MISMATCH`. Bytes are moved as they are, so any dtype works.
 *
 * @example
 * // ONNX LSTM W [4h, in] (gates i,o,f,c) -> Keras order i,f,c,o
 * const keras = reorderGates(onnxW, 0, 'iofc', 'ifco');
 */
export function reorderGates(
  tensor: CheckpointTensor,
  axis: number,
  from: string,
  to: string,
  name?: string,
): CheckpointTensor {
  assertTensorBytes(tensor, name);
  const resolved = normaliseAxis(axis, tensor.shape.length, name);
  const length = tensor.shape[resolved]!;
  const gates = from.length;
  const fail = (message: string): never => {
    throw new MappingError({
      code: 'MAPPING_GATE_MISMATCH',
      message,
      ...(name === undefined ? {} : { tensor: name }),
    });
  };
  if (gates === 0 || new Set(from).size !== gates)
    fail(`gate order "${from}" must name each gate once`);
  if (
    to.length !== gates ||
    [...to].some((gate) => !from.includes(gate)) ||
    new Set(to).size !== gates
  ) {
    fail(`gate order "${to}" is not a rearrangement of "${from}"`);
  }
  if (length % gates !== 0) {
    fail(`axis ${resolved} of ${formatShape(tensor.shape)} does not hold ${gates} equal gates`);
  }
  const outer = elementCount(tensor.shape.slice(0, resolved));
  const blockBytes =
    (length / gates) * elementCount(tensor.shape.slice(resolved + 1)) * dtypeSize(tensor.dtype);
  const sourceOf = [...to].map((gate) => from.indexOf(gate));
  const out = new Uint8Array(tensor.data.byteLength);
  for (let o = 0; o < outer; o++) {
    const row = o * gates * blockBytes;
    sourceOf.forEach((source, position) => {
      const start = row + source * blockBytes;
      out.set(tensor.data.subarray(start, start + blockBytes), row + position * blockBytes);
    });
  }
  return { dtype: tensor.dtype, shape: [...tensor.shape], data: out };
}
