import { type TensorTransform, tensorTransforms } from '@reprokit/core';
import {
  expectShape,
  kerasWeight,
  type LayerPair,
  pairError,
  type Rule,
  requireKerasWeight,
  zerosTransform,
} from './layer-pair.js';
import { intAttribute, stringAttribute, stringsAttribute } from './onnx-graph-info.js';

/** tfjs activation names and the ONNX RNN activation each equals. */
const ONNX_ACTIVATION: Readonly<Record<string, string>> = {
  sigmoid: 'Sigmoid',
  tanh: 'Tanh',
  relu: 'Relu',
  hardSigmoid: 'HardSigmoid',
};

/**
 * ONNX LSTM / GRU into Keras LSTM / GRU, or Bidirectional of them (`direction`
 * bidirectional). Per direction `d`: W `[dirs, G*h, in]` -> select d -> (LSTM: reorder gates
 * iofc -> ifco) -> transpose -> kernel `[in, G*h]`; R likewise into recurrent_kernel;
 * B `[dirs, 2*G*h]` -> select d -> Wb + Rb -> (reorder) -> bias. Activations, direction,
 * clip, peepholes and GRU `linear_before_reset` are checked: tfjs has no equivalent of
 * the last three, so they are refused instead of loading weights that compute otherwise.
 */
export function recurrentRules(pair: LayerPair): Rule[] {
  const { node } = pair.onnx;
  const lstm = pair.onnx.kind === 'lstm';
  const gates = lstm ? 4 : 3;
  const wanted = lstm ? 'LSTM' : 'GRU';
  if (pair.keras.className !== wanted) {
    throw pairError(
      pair,
      'MAPPING_LAYER_MISMATCH',
      `an ONNX ${node.opType} needs a tfjs ${wanted} layer`,
    );
  }
  const direction = stringAttribute(node, 'direction', 'forward');
  const kerasDirection = pair.keras.bidirectional
    ? 'bidirectional'
    : pair.keras.config.goBackwards === true
      ? 'reverse'
      : 'forward';
  if (direction !== kerasDirection) {
    throw pairError(
      pair,
      'MAPPING_LAYER_MISMATCH',
      `ONNX direction is "${direction}" but the tfjs layer runs "${kerasDirection}" (use Bidirectional for "bidirectional", goBackwards: true for "reverse")`,
    );
  }
  const refused: string[] = [];
  if (node.attributes.has('clip')) refused.push('clip');
  if (intAttribute(node, 'input_forget', 0) !== 0) refused.push('input_forget=1');
  if (pair.onnx.weights.has('peephole')) refused.push('peepholes (input P)');
  if (node.attributes.has('activation_alpha') || node.attributes.has('activation_beta')) {
    refused.push('activation_alpha/activation_beta');
  }
  if (!lstm && intAttribute(node, 'linear_before_reset', 0) !== 0) {
    refused.push('linear_before_reset=1 (PyTorch GRU; tfjs GRU has no resetAfter)');
  }
  if (refused.length > 0) {
    throw pairError(
      pair,
      'MAPPING_UNSUPPORTED_ATTRIBUTE',
      `tfjs ${wanted} cannot compute ${refused.join(', ')}`,
    );
  }
  const directions = direction === 'bidirectional' ? 2 : 1;
  checkActivations(pair, lstm, directions);

  const weight = pair.onnx.weights.get('weight')!;
  const recurrence = pair.onnx.weights.get('recurrence');
  const bias = pair.onnx.weights.get('bias');
  if (recurrence === undefined) {
    throw pairError(
      pair,
      'MAPPING_UNRESOLVED_WEIGHT',
      'the recurrence weight R is not an initializer',
    );
  }
  for (const ref of [weight, recurrence, bias]) {
    if (ref !== undefined && (ref.shape.length < 2 || ref.shape[0] !== directions)) {
      throw pairError(
        pair,
        'MAPPING_SHAPE_MISMATCH',
        `initializer "${ref.name}" [${ref.shape.join(',')}] should have ${directions} direction(s) on its first axis (direction "${direction}")`,
        ref.name,
      );
    }
  }
  const reorder: TensorTransform[] = lstm ? [tensorTransforms.reorderGates(0, 'iofc', 'ifco')] : [];
  const rules: Rule[] = [];
  for (let d = 0; d < directions; d++) {
    const prefix = directions === 2 ? (d === 0 ? 'forward/' : 'backward/') : '';
    const label = direction === 'bidirectional' ? (d === 0 ? 'forward' : 'backward') : direction;
    const select = tensorTransforms.select(0, d, label);
    const toKeras = tensorTransforms.custom(
      'transpose [1,0] ([G*h,in] -> [in,G*h])',
      (tensor, name) => tensorTransforms.transpose([1, 0]).apply(tensor, name),
    );
    const kernel = requireKerasWeight(pair, `${prefix}kernel`);
    const recurrentKernel = requireKerasWeight(pair, `${prefix}recurrent_kernel`);
    const [, gatesTimesUnits = 0, inputs = 0] = weight.shape;
    const [, , recurrentUnits = 0] = recurrence.shape;
    expectShape(pair, weight, [inputs, gatesTimesUnits], kernel, '[dirs,G*h,in]');
    expectShape(
      pair,
      recurrence,
      [recurrentUnits, recurrence.shape[1] ?? 0],
      recurrentKernel,
      '[dirs,G*h,h]',
    );
    rules.push({ from: weight.name, to: kernel.name, transforms: [select, ...reorder, toKeras] });
    rules.push({
      from: recurrence.name,
      to: recurrentKernel.name,
      transforms: [select, ...reorder, toKeras],
    });
    const kerasBias = kerasWeight(pair, `${prefix}bias`);
    if (kerasBias === undefined) {
      if (bias !== undefined) {
        throw pairError(
          pair,
          'MAPPING_LAYER_MISMATCH',
          'the ONNX node has a bias B but the tfjs layer has none: build it with useBias: true',
        );
      }
    } else if (bias === undefined) {
      rules.push({
        from: weight.name,
        to: kerasBias.name,
        transforms: [zerosTransform(kerasBias.shape, 'the ONNX node has no B')],
      });
    } else {
      expectShape(pair, bias, [(bias.shape[1] ?? 0) / 2], kerasBias, '[dirs,2*G*h]');
      rules.push({
        from: bias.name,
        to: kerasBias.name,
        transforms: [
          select,
          tensorTransforms.custom(
            `Wb + Rb (split [${2 * gates}h] into halves and sum)`,
            (tensor, name) => tensorTransforms.splitAndSum(0, 2).apply(tensor, name),
          ),
          ...reorder,
        ],
      });
    }
  }
  return rules;
}

function checkActivations(pair: LayerPair, lstm: boolean, directions: number): void {
  const perDirection = lstm ? 3 : 2;
  const defaults = lstm ? ['Sigmoid', 'Tanh', 'Tanh'] : ['Sigmoid', 'Tanh'];
  const onnx =
    stringsAttribute(pair.onnx.node, 'activations') ??
    Array.from({ length: directions }, () => defaults).flat();
  const recurrent = String(pair.keras.config.recurrentActivation ?? 'hardSigmoid');
  const activation = String(pair.keras.config.activation ?? 'tanh');
  const keras = lstm
    ? [ONNX_ACTIVATION[recurrent], ONNX_ACTIVATION[activation], ONNX_ACTIVATION[activation]]
    : [ONNX_ACTIVATION[recurrent], ONNX_ACTIVATION[activation]];
  for (let d = 0; d < directions; d++) {
    const slice = onnx.slice(d * perDirection, (d + 1) * perDirection);
    const same =
      slice.length === perDirection &&
      slice.every(
        (name, i) => keras[i] !== undefined && name.toLowerCase() === keras[i]!.toLowerCase(),
      );
    if (!same) {
      throw pairError(
        pair,
        'MAPPING_ACTIVATION_MISMATCH',
        `ONNX activations [${slice.join(', ')}] differ from the tfjs layer's recurrentActivation "${recurrent}" and activation "${activation}"${slice[0] === 'Sigmoid' && recurrent === 'hardSigmoid' ? " (tfjs defaults to hardSigmoid: build the layer with recurrentActivation: 'sigmoid')" : ''}`,
      );
    }
  }
}
