import * as tf from '@tensorflow/tfjs';

/** tfjs models built the way the fixtures' Keras models were (see make_fixtures.py). */
export const TFJS_MODELS: Record<string, () => tf.LayersModel> = {
  /** tf.keras Sequential CNN: Conv2D(2, 3), BatchNormalization, Flatten, Dense(3). */
  cnn: () =>
    tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [5, 5, 1], filters: 2, kernelSize: 3 }),
        tf.layers.batchNormalization(),
        tf.layers.flatten(),
        tf.layers.dense({ units: 3 }),
      ],
    }),
  /** The same CNN with a last Dense(2) the user named `head`. */
  cnnWithHead: () =>
    tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [5, 5, 1], filters: 2, kernelSize: 3 }),
        tf.layers.batchNormalization(),
        tf.layers.flatten(),
        tf.layers.dense({ units: 3 }),
        tf.layers.dense({ units: 2, name: 'head' }),
      ],
    }),
  /** Functional: Embedding, LSTM, Bidirectional(LSTM), TimeDistributed(Dense), GRU, nested `head`, Dense. */
  recurrent: () => {
    const input = tf.input({ shape: [4] });
    let x = tf.layers.embedding({ inputDim: 10, outputDim: 3 }).apply(input) as tf.SymbolicTensor;
    x = tf.layers
      .lstm({ units: 2, returnSequences: true, recurrentActivation: 'sigmoid' })
      .apply(x) as tf.SymbolicTensor;
    x = tf.layers
      .bidirectional({ layer: tf.layers.lstm({ units: 2, returnSequences: true }) as tf.RNN })
      .apply(x) as tf.SymbolicTensor;
    x = tf.layers
      .timeDistributed({ layer: tf.layers.dense({ units: 2 }) })
      .apply(x) as tf.SymbolicTensor;
    x = tf.layers.gru({ units: 2 }).apply(x) as tf.SymbolicTensor;
    const head = tf.sequential({
      name: 'head',
      layers: [tf.layers.dense({ inputShape: [2], units: 3 }), tf.layers.batchNormalization()],
    });
    x = head.apply(x) as tf.SymbolicTensor;
    const output = tf.layers.dense({ units: 1 }).apply(x) as tf.SymbolicTensor;
    return tf.model({ inputs: input, outputs: output });
  },
  /** The Keras 3 RNN fixture: as `recurrent`, with an auto-named nested Sequential. */
  recurrentKeras3: () => {
    const input = tf.input({ shape: [4] });
    let x = tf.layers.embedding({ inputDim: 10, outputDim: 3 }).apply(input) as tf.SymbolicTensor;
    x = tf.layers.lstm({ units: 2, returnSequences: true }).apply(x) as tf.SymbolicTensor;
    x = tf.layers
      .bidirectional({ layer: tf.layers.lstm({ units: 2, returnSequences: true }) as tf.RNN })
      .apply(x) as tf.SymbolicTensor;
    x = tf.layers
      .timeDistributed({ layer: tf.layers.dense({ units: 2 }) })
      .apply(x) as tf.SymbolicTensor;
    x = tf.layers.gru({ units: 2 }).apply(x) as tf.SymbolicTensor;
    const inner = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [2], units: 3 }), tf.layers.batchNormalization()],
    });
    x = inner.apply(x) as tf.SymbolicTensor;
    const output = tf.layers.dense({ units: 1 }).apply(x) as tf.SymbolicTensor;
    return tf.model({ inputs: input, outputs: output });
  },
  /** A functional model nested in a Sequential (Keras 3 saves its class as `Functional`). */
  nestedFunctional: () => {
    const input = tf.input({ shape: [3] });
    const hidden = tf.layers.dense({ units: 4 }).apply(input) as tf.SymbolicTensor;
    const normalised = tf.layers.layerNormalization().apply(hidden) as tf.SymbolicTensor;
    const inner = tf.model({ inputs: input, outputs: normalised });
    return tf.sequential({ layers: [inner, tf.layers.dense({ units: 2 })] });
  },
  /** Keras 3.2 RNN: Bidirectional(GRU(2)), TimeDistributed(Dense(2)), Dense(1). */
  bidirectionalGru: () =>
    tf.sequential({
      layers: [
        tf.layers.bidirectional({
          inputShape: [5, 3],
          layer: tf.layers.gru({ units: 2, returnSequences: true }) as tf.RNN,
        }),
        tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 2 }) }),
        tf.layers.dense({ units: 1 }),
      ],
    }),
  /** Keras 2.2.4: LSTM(3) on [5, 2], Dense(4), Dense(1). */
  lstmDense: () =>
    tf.sequential({
      layers: [
        tf.layers.lstm({ inputShape: [5, 2], units: 3 }),
        tf.layers.dense({ units: 4 }),
        tf.layers.dense({ units: 1 }),
      ],
    }),
  /** Keras 1.2: Embedding(10, 3), LSTM(2, sequences), GRU(2), Dense(1). */
  keras1: () =>
    tf.sequential({
      layers: [
        tf.layers.embedding({ inputDim: 10, outputDim: 3, inputLength: 4 }),
        tf.layers.lstm({ units: 2, returnSequences: true }),
        tf.layers.gru({ units: 2 }),
        tf.layers.dense({ units: 1 }),
      ],
    }),
  /** Keras 2.0.8 on Theano: Conv2D(2, 2) on [3, 3, 1], Flatten, Dense(2). */
  theano: () =>
    tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [3, 3, 1], filters: 2, kernelSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 2 }),
      ],
    }),
  /** tf.keras 2.13 .keras: Dense(8) on [4], Dense(2). */
  mlp: () =>
    tf.sequential({
      layers: [tf.layers.dense({ inputShape: [4], units: 8 }), tf.layers.dense({ units: 2 })],
    }),
};

/** Which model each fixture loads into, and whether float64/16 weights need `cast`. */
export const FIXTURE_MODELS: ReadonlyArray<{
  fixture: string;
  model: keyof typeof TFJS_MODELS;
  cast?: boolean;
}> = [
  { fixture: 'tf-keras-2.15-save-weights.h5', model: 'cnn' },
  { fixture: 'tf-keras-2.15-model.h5', model: 'recurrent' },
  { fixture: 'keras-2.2.4-save-weights.h5', model: 'lstmDense' },
  { fixture: 'keras-2.0.8-theano.h5', model: 'theano', cast: true },
  { fixture: 'keras-1.2-recurrent.h5', model: 'keras1' },
  { fixture: 'keras-3.6-cnn.weights.h5', model: 'cnnWithHead', cast: true },
  { fixture: 'keras-3.6-rnn.weights.h5', model: 'recurrentKeras3' },
  { fixture: 'keras-3.2-rnn.weights.h5', model: 'bidirectionalGru' },
  { fixture: 'keras-3.6-cnn.keras', model: 'cnnWithHead' },
  { fixture: 'keras-3.6-cnn-deflate.keras', model: 'cnnWithHead' },
  { fixture: 'tf-keras-2.13-model.keras', model: 'mlp' },
];
