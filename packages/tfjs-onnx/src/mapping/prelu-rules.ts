import {
  type CheckpointTensor,
  dtypeSize,
  elementCount,
  formatShape,
  MappingError,
  tensorTransforms,
} from '@reprokit/core';
import { type LayerPair, ORIGIN, pairError, type Rule, requireKerasWeight } from './layer-pair.js';

/**
 * ONNX PRelu slope into a Keras PReLU alpha. PyTorch stores one slope (`[1]`) or one per
 * channel (`[C]`, or `[C,1,1]` to broadcast over NCHW); Keras stores alpha over the
 * channels-last input shape with shared axes set to 1 (`[1,1,C]`, or `[H,W,C]` unshared).
 * Every alpha element gets its channel's slope. Other slope shapes (per position) would
 * need the NCHW -> NHWC layout of the slope itself and throw `MAPPING_SHAPE_MISMATCH`.
 */
export function preluRules(pair: LayerPair): Rule[] {
  const slope = pair.onnx.weights.get('weight')!;
  const alpha = requireKerasWeight(pair, 'alpha');
  const channels = alpha.shape[alpha.shape.length - 1] ?? 0;
  const count = elementCount(slope.shape);
  const perChannel = slope.shape.filter((dim) => dim !== 1);
  if (!(count === 1 || (perChannel.length === 1 && perChannel[0] === channels))) {
    throw pairError(
      pair,
      'MAPPING_SHAPE_MISMATCH',
      `PRelu slope "${slope.name}" ${formatShape(slope.shape)} is neither one value nor one per channel (${channels}) for "${alpha.name}" ${formatShape(alpha.shape)}`,
      alpha.name,
    );
  }
  return [
    {
      from: slope.name,
      to: alpha.name,
      transforms: [
        tensorTransforms.custom(
          `broadcast ${count === 1 ? 'one slope' : 'per-channel slope'} ${formatShape(slope.shape)} to ${formatShape(alpha.shape)} (channels last)`,
          (tensor) => broadcastChannels(tensor, alpha.shape),
        ),
      ],
    },
  ];
}

function broadcastChannels(slope: CheckpointTensor, shape: readonly number[]): CheckpointTensor {
  const size = dtypeSize(slope.dtype);
  const values = elementCount(slope.shape);
  const out = new Uint8Array(elementCount(shape) * size);
  for (let index = 0; index < out.length / size; index++) {
    const source = (index % values) * size;
    out.set(slope.data.subarray(source, source + size), index * size);
  }
  return { dtype: slope.dtype, shape: [...shape], data: out };
}

/**
 * Keras alpha back into an ONNX slope: the first position's per-channel values, after
 * checking every position holds the same (an unshared alpha trained in tfjs may not, and a
 * per-channel slope cannot hold it: `MAPPING_SHAPE_MISMATCH`).
 */
export function preluInverseRules(pair: LayerPair): Rule[] {
  const slope = pair.onnx.weights.get('weight')!;
  const alpha = requireKerasWeight(pair, 'alpha');
  const count = elementCount(slope.shape);
  return [
    {
      from: alpha.name,
      to: slope.name,
      transforms: [
        tensorTransforms.custom(
          `take the per-channel alpha ${formatShape(alpha.shape)} as slope ${formatShape(slope.shape)}`,
          (tensor, name) => {
            const bytes = tensor.data.byteLength / elementCount(tensor.shape);
            const block = count * bytes;
            const first = tensor.data.subarray(0, block);
            for (let offset = block; offset < tensor.data.byteLength; offset += block) {
              const other = tensor.data.subarray(offset, offset + block);
              if (!other.every((byte, index) => byte === first[index])) {
                throw new MappingError({
                  code: 'MAPPING_SHAPE_MISMATCH',
                  origin: ORIGIN,
                  message: `alpha "${alpha.name}" differs between positions, so ${count} slope value(s) cannot hold it`,
                  tensor: name,
                });
              }
            }
            return { dtype: tensor.dtype, shape: [...slope.shape], data: new Uint8Array(first) };
          },
        ),
      ],
    },
  ];
}
