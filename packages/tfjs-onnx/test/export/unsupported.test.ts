import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportToOnnx, OnnxExportError } from '../../src/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function exportError(model: tf.LayersModel): Promise<OnnxExportError> {
  const error = await exportToOnnx(model, { weights: 'embedded' }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OnnxExportError);
  return error as OnnxExportError;
}

describe('unsupported layers and options get a typed error naming the layer and class', () => {
  it('an unsupported layer class (ConvLSTM2D)', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 2, inputShape: [3, 2, 2, 1] }),
        tf.layers.convLstm2d({ filters: 1, kernelSize: 1 }),
      ],
    });
    const error = await exportError(model);
    expect(error.code).toBe('ONNX_EXPORT_UNSUPPORTED_LAYER');
    expect(error.className).toBe('ConvLSTM2D');
    expect(error.layer).toBe('conv_lst_m2d');
    expect(error.origin).toBe('tfjs-onnx');
    expect(error.message).toContain('ConvLSTM2D');
  });

  it('an unsupported layer inside a nested model is named by its path', async () => {
    const inner = tf.sequential({
      name: 'block',
      layers: [tf.layers.zeroPadding2d({ inputShape: [3, 3, 1] }), tf.layers.masking({})],
    });
    const x = tf.input({ shape: [3, 3, 1] });
    const model = tf.model({ inputs: x, outputs: inner.apply(x) as tf.SymbolicTensor });
    const error = await exportError(model);
    expect(error.className).toBe('Masking');
    expect(error.layer).toBe('block/masking');
  });

  it.each(['Doubler', 'constructor', 'toString'])('a custom layer class named %s', async (name) => {
    class Custom extends tf.layers.Layer {
      static className = name;
      override getClassName(): string {
        return name;
      }
      override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
        return tf.mul(Array.isArray(inputs) ? inputs[0]! : inputs, 2);
      }
    }
    const model = tf.sequential({
      layers: [tf.layers.dense({ units: 2, inputShape: [2] }), new Custom({ name: 'custom' })],
    });
    const error = await exportError(model);
    expect(error.code).toBe('ONNX_EXPORT_UNSUPPORTED_LAYER');
    expect(error.className).toBe(name);
    expect(error.layer).toBe('custom');
  });

  it('LSTM with returnState (several outputs) is refused', async () => {
    const x = tf.input({ shape: [3, 2] });
    const [y] = tf.layers.lstm({ units: 2, returnState: true }).apply(x) as tf.SymbolicTensor[];
    const model = tf.model({ inputs: x, outputs: y! });
    const error = await exportError(model);
    expect(error.code).toBe('ONNX_EXPORT_UNSUPPORTED_OPTION');
    expect(error.className).toBe('LSTM');
    expect(error.message).toContain('returnState');
  });

  it('Conv1D causal padding (tfjs 4.22 cannot run it either) is refused', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv1d({ filters: 1, kernelSize: 2, padding: 'causal', inputShape: [4, 1] }),
      ],
    });
    const error = await exportError(model);
    expect(error.code).toBe('ONNX_EXPORT_UNSUPPORTED_OPTION');
    expect(error.message).toContain('causal');
  });

  it('BatchNormalization on a non-last axis is refused (tfjs computes it cyclically)', async () => {
    const model = tf.sequential({
      layers: [tf.layers.batchNormalization({ axis: 1, inputShape: [3, 4] })],
    });
    const error = await exportError(model);
    expect(error.code).toBe('ONNX_EXPORT_UNSUPPORTED_OPTION');
    expect(error.layer).toBe('batch_normalization');
  });

  it('a stateful LSTM is refused', async () => {
    const model = tf.sequential({
      layers: [tf.layers.lstm({ units: 2, stateful: true, batchInputShape: [1, 3, 2] })],
    });
    const error = await exportError(model);
    expect(error.code).toBe('ONNX_EXPORT_UNSUPPORTED_OPTION');
    expect(error.message).toContain('stateful');
  });
});

describe('invalid export options get ONNX_EXPORT_INVALID_OPTIONS', () => {
  const model = () => tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });

  it.each([12, 22, 17.5])('opset %s', async (opset) => {
    await expect(exportToOnnx(model(), { opset })).rejects.toMatchObject({
      code: 'ONNX_EXPORT_INVALID_OPTIONS',
    });
  });

  it('an unknown weights mode', async () => {
    await expect(exportToOnnx(model(), { weights: 'inline' as 'embedded' })).rejects.toMatchObject({
      code: 'ONNX_EXPORT_INVALID_OPTIONS',
    });
  });

  it('weightsFile with embedded weights', async () => {
    await expect(
      exportToOnnx(model(), { weights: 'embedded', weightsFile: 'w.safetensors' }),
    ).rejects.toMatchObject({ code: 'ONNX_EXPORT_INVALID_OPTIONS' });
  });
});
