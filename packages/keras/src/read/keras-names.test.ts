import { describe, expect, it } from 'vitest';
import {
  automaticBaseName,
  isCellSegment,
  kerasSnakeCase,
  normaliseDirectionSegment,
  structuralLayerNames,
} from './keras-names.js';

describe('Keras naming rules', () => {
  it('kerasSnakeCase follows Keras to_snake_case', () => {
    expect(
      [
        'Dense',
        'Conv2D',
        'BatchNormalization',
        'LSTM',
        'SimpleRNN',
        'PReLU',
        'QDense',
        'DepthwiseConv2D',
        'CuDNNLSTM',
      ].map(kerasSnakeCase),
    ).toEqual([
      'dense',
      'conv2d',
      'batch_normalization',
      'lstm',
      'simple_rnn',
      'p_re_lu',
      'q_dense',
      'depthwise_conv2d',
      'cu_dnnlstm',
    ]);
  });

  it('tells automatic names (with or without the class) from user names', () => {
    expect(automaticBaseName('dense_3')).toBe('dense');
    expect(automaticBaseName('conv2d_transpose_1')).toBe('conv2d_transpose');
    expect(automaticBaseName('convolution2d_1')).toBe('conv2d');
    expect(automaticBaseName('head')).toBeUndefined();
    expect(automaticBaseName('dense_3', 'Conv2D')).toBeUndefined();
    expect(automaticBaseName('q_dense_2', 'QDense')).toBe('q_dense');
  });

  it('renumbers automatic names per model, keeping user names', () => {
    expect(
      structuralLayerNames([
        { name: 'dense_4' },
        { name: 'head' },
        { name: 'dense_5' },
        { name: 'lstm_1' },
        { name: 'dense_1_2' },
      ]),
    ).toEqual(['dense', 'head', 'dense_1', 'lstm', 'dense_1_2']);
  });

  it('reads wrapper segments as tfjs names them', () => {
    expect(normaliseDirectionSegment('forward_lstm_3')).toBe('forward_lstm');
    expect(normaliseDirectionSegment('backward_my_rnn')).toBe('backward_my_rnn');
    expect(normaliseDirectionSegment('dense')).toBeUndefined();
    expect(['lstm_cell', 'gru_cell_2', 'cell', 'dense'].map(isCellSegment)).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });
});
