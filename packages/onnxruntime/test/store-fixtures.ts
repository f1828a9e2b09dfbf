import type { CheckpointStoreFixture } from '@reprokit/conformance';
import { type Checkpoint, createCheckpoint, fromTypedArray } from '@reprokit/core';
import type { OnnxModel } from '../src/index.js';
import { onnxStore } from '../src/index.js';
import { graph, model, node, rawTensor, valueInfo } from './onnx-model-builder.js';

/**
 * Version `version` of the checkpoint the ONNX store conformance suite saves: mixed dtypes
 * (F32, F16, I64, U8), 324 KiB of tensor data. ONNX keeps no checkpoint metadata.
 */
export function onnxCheckpoint(version: number): Checkpoint {
  const fill = (length: number, salt: number) =>
    Float32Array.from({ length }, (_, index) => Math.sin(index * 0.37 + version * 11 + salt));
  return createCheckpoint([
    ['encoder/dense/kernel', fromTypedArray('F32', [256, 256], fill(65_536, 1))],
    ['encoder/dense/bias', fromTypedArray('F32', [256], fill(256, 2))],
    [
      'decoder/half',
      {
        dtype: 'F16',
        shape: [512],
        data: Uint8Array.from({ length: 1024 }, (_, index) => (index * 7 + version) & 0xff),
      },
    ],
    [
      'step',
      fromTypedArray(
        'I64',
        [128],
        Array.from({ length: 128 }, (_, i) => BigInt(version * 1000 + i)),
      ),
    ],
    [
      'mask',
      fromTypedArray(
        'U8',
        [1024],
        Uint8Array.from({ length: 1024 }, (_, i) => (i + version) & 1),
      ),
    ],
  ]);
}

/** A graph whose initializers have the checkpoint's names, dtypes and shapes (no data yet). */
function template(checkpoint: Checkpoint): OnnxModel {
  const names = [...checkpoint.tensors.keys()];
  return model(
    graph({
      initializer: names.map((name) => {
        const tensor = checkpoint.tensors.get(name)!;
        return rawTensor(name, tensor.dtype, tensor.shape, new Uint8Array(tensor.data.length));
      }),
      node: names.map((name, index) => node('Identity', [name], [`out${index}`])),
      output: names.map((_, index) => valueInfo(`out${index}`, [])),
    }),
  );
}

export function embeddedOnnxFixture(): CheckpointStoreFixture {
  return {
    store: onnxStore(),
    entryName: 'model.onnx',
    checkpoint: onnxCheckpoint,
    writeOptions: (checkpoint) => ({ template: template(checkpoint) }),
    keptMetadata: () => new Map(),
  };
}

export function externalOnnxFixture(): CheckpointStoreFixture {
  return {
    ...embeddedOnnxFixture(),
    writeOptions: (checkpoint) => ({ template: template(checkpoint), externalData: true }),
  };
}
