import type { Checkpoint, TensorSpec } from '@reprokit/core';
import { type CastNote, castCheckpoint } from './cast-checkpoint.js';

/**
 * Convert tensors to the dtype a template model stores them in, when the names and shapes
 * match and only the dtype differs (F16 weights into an F32 ONNX graph, I32 from tfjs into an
 * I64 initializer). Tensors the template lacks, or with another shape, are left for the
 * writer's strict check to report.
 *
 * @example
 * const { checkpoint, notes } = castToSpecs(source, onnxTensorSpecs(model), { allowCast: true, file: 'out.onnx', template: 'graph.onnx' });
 */
export function castToSpecs(
  source: Checkpoint,
  specs: ReadonlyMap<string, TensorSpec>,
  options: { allowCast: boolean; file: string; template: string },
): { checkpoint: Checkpoint; notes: CastNote[] } {
  return castCheckpoint(source, {
    allowCast: options.allowCast,
    file: options.file,
    target: options.template,
    wants: (name, tensor) => {
      const spec = specs.get(name);
      if (spec === undefined || spec.shape.length !== tensor.shape.length) return undefined;
      return spec.shape.every((dim, index) => dim === tensor.shape[index]) ? spec.dtype : undefined;
    },
    reason: (from, to) => `${options.template} stores ${to} where the input has ${from}`,
  });
}
