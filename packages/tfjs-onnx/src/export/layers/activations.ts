import { attr, type OnnxGraphBuilder } from '../onnx-graph-builder.js';

/** tfjs `selu` constants (tfjs-core selu_util), identical to ONNX Selu's defaults. */
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/**
 * Every activation string tfjs layers accept, each exported to ONNX nodes computing it.
 *
 * @example
 * SUPPORTED_ACTIVATIONS.includes('gelu'); // true (the exact erf form, as tfjs computes it)
 */
export const SUPPORTED_ACTIVATIONS = [
  'linear',
  'relu',
  'relu6',
  'elu',
  'selu',
  'sigmoid',
  'hardSigmoid',
  'tanh',
  'softmax',
  'logSoftmax',
  'softplus',
  'softsign',
  'swish',
  'mish',
  'gelu',
  'gelu_new',
] as const;

export function isSupportedActivation(name: string): boolean {
  return (SUPPORTED_ACTIVATIONS as readonly string[]).includes(name);
}

/**
 * Emit tfjs activation `name` on `x`. Formulas follow tfjs-layers 4.22 (activations.ts):
 * hardSigmoid is clip(0.2x+0.5, 0, 1), gelu is the exact erf form and gelu_new the tanh
 * approximation, swish is sigmoid(x)*x, mish is x*tanh(softplus(x)), softmax is on the last axis.
 * Returns undefined for an unknown name so the caller can name the layer in its error.
 */
export function emitActivation(
  graph: OnnxGraphBuilder,
  x: string,
  name: string,
  scope: string,
): string | undefined {
  const one = (op: string, attributes = {}) => graph.node(op, [x], attributes, scope);
  switch (name) {
    case 'linear':
      return x;
    case 'relu':
      return one('Relu');
    case 'relu6':
      return graph.node('Clip', [x, graph.floats([0]), graph.floats([6])], {}, scope);
    case 'elu':
      return one('Elu', { alpha: attr.float(1) });
    case 'selu':
      return one('Selu', { alpha: attr.float(SELU_ALPHA), gamma: attr.float(SELU_SCALE) });
    case 'sigmoid':
      return one('Sigmoid');
    case 'hardSigmoid':
      return one('HardSigmoid', { alpha: attr.float(0.2), beta: attr.float(0.5) });
    case 'tanh':
      return one('Tanh');
    case 'softmax':
      return one('Softmax', { axis: attr.int(-1) });
    case 'logSoftmax':
      return one('LogSoftmax', { axis: attr.int(-1) });
    case 'softplus':
      return one('Softplus');
    case 'softsign':
      return one('Softsign');
    case 'swish':
      return graph.node('Mul', [one('Sigmoid'), x], {}, scope);
    case 'mish': {
      const tanh = graph.node('Tanh', [one('Softplus')], {}, scope);
      return graph.node('Mul', [x, tanh], {}, scope);
    }
    case 'gelu': {
      const scaled = graph.node('Div', [x, graph.floats([Math.SQRT2])], {}, scope);
      const erf = graph.node('Erf', [scaled], {}, scope);
      const cdf = graph.node(
        'Mul',
        [graph.floats([0.5]), graph.node('Add', [graph.floats([1]), erf], {}, scope)],
        {},
        scope,
      );
      return graph.node('Mul', [x, cdf], {}, scope);
    }
    case 'gelu_new': {
      const cube = graph.node('Pow', [x, graph.floats([3])], {}, scope);
      const inner = graph.node(
        'Add',
        [x, graph.node('Mul', [graph.floats([0.044715]), cube], {}, scope)],
        {},
        scope,
      );
      const tanh = graph.node(
        'Tanh',
        [graph.node('Mul', [graph.floats([Math.sqrt(2 / Math.PI)]), inner], {}, scope)],
        {},
        scope,
      );
      const onePlus = graph.node('Add', [graph.floats([1]), tanh], {}, scope);
      return graph.node(
        'Mul',
        [graph.floats([0.5]), graph.node('Mul', [x, onePlus], {}, scope)],
        {},
        scope,
      );
    }
    default:
      return undefined;
  }
}
