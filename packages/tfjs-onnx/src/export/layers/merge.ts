import { configNumber, type LayerConverter } from '../layer-context.js';
import { attr } from '../onnx-graph-builder.js';

/** Add, Multiply, Maximum, Minimum: folded left to right, as tfjs does. */
export function foldLayer(op: 'Add' | 'Mul' | 'Max' | 'Min'): LayerConverter {
  return (context) => {
    const [first, ...rest] = context.inputs.map((input) => input.name);
    if (first === undefined) {
      return context.fail('ONNX_EXPORT_INVALID_MODEL', 'merge layer without inputs');
    }
    return [
      rest.reduce((acc, next) => context.graph.node(op, [acc, next], {}, context.path), first),
    ];
  };
}

/** Average: the sum times 1/n (tfjs multiplies by the reciprocal rather than dividing). */
export const averageLayer: LayerConverter = (context) => {
  const sum = foldLayer('Add')(context)[0]!;
  const scale = context.graph.floats([1 / context.inputs.length]);
  return [context.graph.node('Mul', [scale, sum], {}, context.path)];
};

export const concatenateLayer: LayerConverter = (context) => [
  context.graph.node(
    'Concat',
    context.inputs.map((input) => input.name),
    { axis: attr.int(configNumber(context, 'axis', -1)) },
    context.path,
  ),
];
