/**
 * The names of a Keras layer's variables in the order Keras saves them
 * (`_trainable_variables + _non_trainable_variables`, which is also the order of tfjs'
 * `layer.weights`). Keras 3 `.weights.h5` files store variables by index only
 * (`layers/dense/vars/0`), so these names are what turns `vars/0` into `kernel`.
 */

const KERNEL_BIAS = ['kernel', 'bias'];
const RECURRENT = ['kernel', 'recurrent_kernel', 'bias'];

const BY_CLASS: Readonly<Record<string, readonly string[]>> = {
  dense: KERNEL_BIAS,
  einsum_dense: KERNEL_BIAS,
  conv1d: KERNEL_BIAS,
  conv2d: KERNEL_BIAS,
  conv3d: KERNEL_BIAS,
  conv1d_transpose: KERNEL_BIAS,
  conv2d_transpose: KERNEL_BIAS,
  conv3d_transpose: KERNEL_BIAS,
  depthwise_conv1d: ['depthwise_kernel', 'bias'],
  depthwise_conv2d: ['depthwise_kernel', 'bias'],
  separable_conv1d: ['depthwise_kernel', 'pointwise_kernel', 'bias'],
  separable_conv2d: ['depthwise_kernel', 'pointwise_kernel', 'bias'],
  embedding: ['embeddings'],
  p_re_lu: ['alpha'],
  layer_normalization: ['gamma', 'beta'],
  group_normalization: ['gamma', 'beta'],
  lstm_cell: RECURRENT,
  gru_cell: RECURRENT,
  simple_rnn_cell: RECURRENT,
  conv_lstm_cell: RECURRENT,
  conv_lstm1d_cell: RECURRENT,
  conv_lstm2d_cell: RECURRENT,
  conv_lstm3d_cell: RECURRENT,
};

/** The RNN layer class -> its cell's class, for `<rnn>/cell/vars`. */
export const CELL_OF: Readonly<Record<string, string>> = {
  lstm: 'lstm_cell',
  gru: 'gru_cell',
  simple_rnn: 'simple_rnn_cell',
  conv_lstm1d: 'conv_lstm_cell',
  conv_lstm2d: 'conv_lstm_cell',
  conv_lstm3d: 'conv_lstm_cell',
};

/**
 * Variable names for `count` saved variables of a layer of class `base` (snake case), or
 * `undefined` when the class is unknown or the count does not say which variables are there.
 * `config` (the layer's saved config) decides optional variables: `use_bias`, BatchNormalization's
 * `center` / `scale`.
 *
 * @example
 * layerVariableNames('dense', 1, { use_bias: false }); // ['kernel']
 * layerVariableNames('batch_normalization', 2); // ['moving_mean', 'moving_variance']
 */
export function layerVariableNames(
  base: string,
  count: number,
  config?: Readonly<Record<string, unknown>>,
): readonly string[] | undefined {
  if (base === 'batch_normalization') return batchNormalizationNames(count, config);
  const names = BY_CLASS[base];
  if (names === undefined) return undefined;
  if (count === names.length) return names;
  // Without the bias (use_bias=False), a layer saves every variable but the last.
  if (count === names.length - 1 && names.at(-1) === 'bias' && config?.use_bias !== true) {
    return names.slice(0, -1);
  }
  if (base === 'layer_normalization' || base === 'group_normalization') {
    if (count === 1) return config?.center === true ? ['beta'] : ['gamma'];
  }
  return undefined;
}

function batchNormalizationNames(
  count: number,
  config?: Readonly<Record<string, unknown>>,
): readonly string[] | undefined {
  const scale = config?.scale;
  const center = config?.center;
  if (count === 4) return ['gamma', 'beta', 'moving_mean', 'moving_variance'];
  if (count === 2) return ['moving_mean', 'moving_variance'];
  if (count === 3) {
    if (scale === false) return ['beta', 'moving_mean', 'moving_variance'];
    if (center === false) return ['gamma', 'moving_mean', 'moving_variance'];
  }
  return undefined;
}

/** Variables Keras keeps out of training: loaded after the trainable ones in a nested model. */
export function isNonTrainableWeight(shortName: string): boolean {
  return shortName === 'moving_mean' || shortName === 'moving_variance';
}

/**
 * A layer's weights in the order Keras saves its variables (`vars/0`, `vars/1`, ...), whatever
 * order the checkpoint lists them in (safetensors sorts by name: `bias` before `kernel`). Weights
 * whose short names are not all known for the class keep their order.
 *
 * @example
 * inKerasVariableOrder('dense', [{ short: 'bias' }, { short: 'kernel' }]); // kernel, bias
 */
export function inKerasVariableOrder<T extends { readonly short: string }>(
  base: string,
  entries: readonly T[],
): readonly T[] {
  const known =
    base === 'batch_normalization'
      ? ['gamma', 'beta', 'moving_mean', 'moving_variance']
      : BY_CLASS[base];
  if (known === undefined || !entries.every((entry) => known.includes(entry.short))) return entries;
  return [...entries].sort((a, b) => known.indexOf(a.short) - known.indexOf(b.short));
}
