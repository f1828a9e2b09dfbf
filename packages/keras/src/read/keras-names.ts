/**
 * Keras' naming rules, and the structural names reprokit derives from them.
 *
 * Keras names layers from a process-global counter (`dense`, `dense_1`, ... across every model
 * built in a session; Keras 1 and standalone Keras 2 start at `dense_1`). The checkpoint names
 * are the structural names of `@reprokit/tfjs` instead: within each model, an automatically
 * named layer becomes its class's snake-case name, then `_1`, `_2` for the next ones of that
 * class; a name the user gave is kept. So a tfjs model built the same way gets the same names,
 * whichever session wrote the file.
 */

/**
 * Keras' `to_snake_case`: `Conv2D` -> `conv2d`, `BatchNormalization` -> `batch_normalization`,
 * `LSTM` -> `lstm`, `PReLU` -> `p_re_lu`, `QDense` -> `q_dense`.
 *
 * @example
 * kerasSnakeCase('DepthwiseConv2D'); // 'depthwise_conv2d'
 */
export function kerasSnakeCase(className: string): string {
  const cleaned = className.replace(/\W+/g, '');
  const intermediate = cleaned.replace(/(.)([A-Z][a-z]+)/g, '$1_$2');
  return intermediate.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * Snake-case names of Keras layer classes (Keras 1, 2 and 3), so that a layer name such as
 * `conv2d_7` can be recognised as automatic when the file does not say the layer's class.
 */
const KNOWN_LAYER_BASES = new Set([
  'activation',
  'activity_regularization',
  'add',
  'additive_attention',
  'alpha_dropout',
  'attention',
  'average',
  'average_pooling1d',
  'average_pooling2d',
  'average_pooling3d',
  'batch_normalization',
  'bidirectional',
  'category_encoding',
  'concatenate',
  'conv1d',
  'conv1d_transpose',
  'conv2d',
  'conv2d_transpose',
  'conv3d',
  'conv3d_transpose',
  'conv_lstm1d',
  'conv_lstm2d',
  'conv_lstm3d',
  'cropping1d',
  'cropping2d',
  'cropping3d',
  'cu_dnngru',
  'cu_dnnlstm',
  'dense',
  'dense_features',
  'depthwise_conv1d',
  'depthwise_conv2d',
  'discretization',
  'dot',
  'dropout',
  'einsum_dense',
  'elu',
  'embedding',
  'flatten',
  'functional',
  'gaussian_dropout',
  'gaussian_noise',
  'global_average_pooling1d',
  'global_average_pooling2d',
  'global_average_pooling3d',
  'global_max_pooling1d',
  'global_max_pooling2d',
  'global_max_pooling3d',
  'group_normalization',
  'grouped_query_attention',
  'gru',
  'gru_cell',
  'hashing',
  'input_layer',
  'integer_lookup',
  'lambda',
  'layer_normalization',
  'leaky_re_lu',
  'locally_connected1d',
  'locally_connected2d',
  'lstm',
  'lstm_cell',
  'masking',
  'max_pooling1d',
  'max_pooling2d',
  'max_pooling3d',
  'maximum',
  'minimum',
  'model',
  'multi_head_attention',
  'multiply',
  'normalization',
  'p_re_lu',
  'permute',
  're_lu',
  'repeat_vector',
  'rescaling',
  'reshape',
  'rnn',
  'separable_conv1d',
  'separable_conv2d',
  'sequential',
  'simple_rnn',
  'simple_rnn_cell',
  'softmax',
  'spatial_dropout1d',
  'spatial_dropout2d',
  'spatial_dropout3d',
  'spectral_normalization',
  'stacked_rnn_cells',
  'string_lookup',
  'subtract',
  'text_vectorization',
  'thresholded_re_lu',
  'time_distributed',
  'unit_normalization',
  'up_sampling1d',
  'up_sampling2d',
  'up_sampling3d',
  'zero_padding1d',
  'zero_padding2d',
  'zero_padding3d',
  // Keras 1 class names (`Convolution2D` named its layers `convolution2d_1`).
  'atrousconvolution1d',
  'atrousconvolution2d',
  'batchnormalization',
  'convolution1d',
  'convolution2d',
  'convolution3d',
  'deconvolution2d',
  'highway',
  'maxoutdense',
  'prelu',
  'separableconvolution2d',
  'simplernn',
  'timedistributed',
  'timedistributeddense',
]);

/** Keras 1 class snake names -> the Keras 2 / tfjs name of the same layer. */
const KERAS1_BASES: Readonly<Record<string, string>> = {
  atrousconvolution1d: 'conv1d',
  atrousconvolution2d: 'conv2d',
  batchnormalization: 'batch_normalization',
  convolution1d: 'conv1d',
  convolution2d: 'conv2d',
  convolution3d: 'conv3d',
  deconvolution2d: 'conv2d_transpose',
  prelu: 'p_re_lu',
  separableconvolution2d: 'separable_conv2d',
  simplernn: 'simple_rnn',
  timedistributed: 'time_distributed',
};

/** Container classes: their weights belong to their own layers. */
export const MODEL_CLASSES = new Set(['Sequential', 'Functional', 'Model']);

/**
 * The base name of a layer name Keras generated, or `undefined` for a name the user chose.
 * With the class known, a name is automatic when it is the class's snake-case name, alone or
 * with a `_<n>` counter; without it, when that snake-case name is a known Keras layer class.
 *
 * @example
 * automaticBaseName('dense_3'); // 'dense'
 * automaticBaseName('head'); // undefined
 * automaticBaseName('convolution2d_1'); // 'conv2d' (Keras 1)
 */
export function automaticBaseName(name: string, className?: string): string | undefined {
  const match = /^(.+?)(?:_\d+)?$/.exec(name);
  if (match === null) return undefined;
  const base = match[1]!;
  if (className !== undefined && className !== '') {
    const snake = kerasSnakeCase(className);
    if (base !== snake) return undefined;
    return KERAS1_BASES[snake] ?? snake;
  }
  if (!KNOWN_LAYER_BASES.has(base)) return undefined;
  return KERAS1_BASES[base] ?? base;
}

/**
 * Structural names for the layers of one model, in order: automatic names become their base,
 * then `<base>_1`, `<base>_2` for the next automatic layers with that base; user names stay.
 *
 * @example
 * structuralLayerNames([{ name: 'dense_4' }, { name: 'head' }, { name: 'dense_5' }]);
 * // ['dense', 'head', 'dense_1']
 */
export function structuralLayerNames(
  layers: readonly { readonly name: string; readonly className?: string | undefined }[],
): string[] {
  const seen = new Map<string, number>();
  return layers.map((layer) => {
    const base = automaticBaseName(layer.name, layer.className);
    if (base === undefined) return layer.name;
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return count === 0 ? base : `${base}_${count}`;
  });
}

/**
 * A `forward_lstm_3` / `backward_gru_1` segment (a Bidirectional layer's halves) without its
 * counter, as tfjs names them (`forward_lstm`).
 */
export function normaliseDirectionSegment(segment: string): string | undefined {
  const match = /^(forward|backward)_(.+)$/.exec(segment);
  if (match === null) return undefined;
  const inner = automaticBaseName(match[2]!);
  return `${match[1]}_${inner ?? match[2]}`;
}

/** RNN cell scopes in weight names (`lstm_cell`, `gru_cell_2`, `cell`): not a layer of their own. */
export function isCellSegment(segment: string): boolean {
  return /^(?:[a-z0-9_]*_)?cell(?:_\d+)?$/.test(segment);
}

/** Drops a TensorFlow variable's output index: `kernel:0` -> `kernel`. */
export function stripOutputIndex(name: string): string {
  return name.replace(/:\d+$/, '');
}
