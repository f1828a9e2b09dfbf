import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromBinary } from '@bufbuild/protobuf';
import { createCheckpoint, encodeSafetensors, parseSafetensorsHeader } from '@reprokit/core';
import { tfjsCheckpoint } from '@reprokit/tfjs';
import { safetensorsIO } from '@reprokit/tfjs/node';
import * as tf from '@tensorflow/tfjs';
import { ModelProtoSchema } from 'onnx-buf';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportToOnnx } from '../../src/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function model() {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ filters: 2, kernelSize: 2, inputShape: [3, 3, 1] }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 2 }),
    ],
  });
}

const entries = (list: { key: string; value: string }[]) =>
  Object.fromEntries(list.map((e) => [e.key, e.value]));

describe('shared-file mode', () => {
  it('initializers are exactly the checkpoint, as external data at the safetensors offsets', async () => {
    const m = model();
    const checkpoint = await tfjsCheckpoint(tf).read(m);
    const bytes = encodeSafetensors(createCheckpoint(checkpoint.tensors));
    const header = parseSafetensorsHeader(bytes);
    const proto = fromBinary(
      ModelProtoSchema,
      await exportToOnnx(m, { weightsFile: 'weights.safetensors', safetensors: bytes }),
    );
    const graph = proto.graph!;
    expect(graph.initializer.map((t) => t.name).sort()).toEqual(
      [...checkpoint.tensors.keys()].sort(),
    );
    for (const tensor of graph.initializer) {
      const info = header.tensors.get(tensor.name)!;
      expect(tensor.dataLocation).toBe(1);
      expect(tensor.rawData.length).toBe(0);
      expect(entries(tensor.externalData)).toEqual({
        location: 'weights.safetensors',
        offset: String(header.dataStart + info.begin),
        length: String(info.end - info.begin),
      });
      expect(tensor.dims.map(Number)).toEqual([...info.shape]);
    }
    // HWIO -> OIHW is a Transpose node on the initializer, folded by ORT at load.
    const transpose = graph.node.find(
      (n) => n.opType === 'Transpose' && n.input[0] === 'conv2d/kernel',
    );
    expect(transpose).toBeDefined();
    // Dynamic batch dimension.
    const dim0 = graph.input[0]!.type!.value.value as { shape: { dim: { value: unknown }[] } };
    expect(dim0.shape.dim[0]!.value).toEqual({ case: 'dimParam', value: 'N' });
    expect(proto.opsetImport[0]!.version).toBe(17n);
  });

  it('shared weights need the bytes of the file they point into; without them the default is embedded', async () => {
    const m = model();
    await expect(exportToOnnx(m, { weights: 'shared' })).rejects.toMatchObject({
      code: 'ONNX_EXPORT_INVALID_OPTIONS',
      message: expect.stringContaining('safetensors'),
    });
    const standalone = fromBinary(ModelProtoSchema, await exportToOnnx(m));
    expect(standalone.graph!.initializer.every((t) => t.externalData.length === 0)).toBe(true);
    // With the bytes of the file the tfjs adapter writes, the offsets are that file's.
    const checkpoint = await tfjsCheckpoint(tf).read(m);
    const bytes = encodeSafetensors(createCheckpoint(checkpoint.tensors));
    const header = parseSafetensorsHeader(bytes);
    const proto = fromBinary(ModelProtoSchema, await exportToOnnx(m, { safetensors: bytes }));
    const kernel = proto.graph!.initializer.find((t) => t.name === 'dense/kernel')!;
    expect(entries(kernel.externalData).location).toBe('model.safetensors');
    expect(entries(kernel.externalData).offset).toBe(
      String(header.dataStart + header.tensors.get('dense/kernel')!.begin),
    );
  });

  it('a file holding other values than the model is refused with the weight named', async () => {
    const m = model();
    const other = model(); // same names and shapes, other initial values
    const bytes = encodeSafetensors(await tfjsCheckpoint(tf).read(other));
    await expect(exportToOnnx(m, { safetensors: bytes })).rejects.toMatchObject({
      code: 'ONNX_EXPORT_WEIGHTS_MISMATCH',
      tensor: 'conv2d/kernel',
    });
  });

  it('a file saved by safetensorsIO (topology in its header): plain ONNX Runtime on the export gives the numbers of tfjs', async () => {
    // Issue 17: the exporter used to take the offsets from its own encoding; this file's header
    // also holds the topology, so every offset missed and ORT silently returned other numbers.
    const dir = await mkdtemp(join(tmpdir(), 'reprokit-tfjs-onnx-shared-'));
    try {
      const m = model();
      await m.save(safetensorsIO(join(dir, 'model.safetensors')));
      const file = new Uint8Array(await readFile(join(dir, 'model.safetensors')));
      const ownEncoding = encodeSafetensors(await tfjsCheckpoint(tf).read(m));
      expect(parseSafetensorsHeader(file).headerLength).not.toBe(
        parseSafetensorsHeader(ownEncoding).headerLength,
      );
      await writeFile(join(dir, 'model.onnx'), await exportToOnnx(m, { safetensors: file }));
      const x = Float32Array.from({ length: 2 * 9 }, (_, i) => ((i * 7) % 11) / 5 - 1);
      const expected = await (m.predict(tf.tensor(x, [2, 3, 3, 1])) as tf.Tensor).data();
      const session = await ort.InferenceSession.create(join(dir, 'model.onnx'));
      const out = await session.run({
        [session.inputNames[0]!]: new ort.Tensor('float32', x, [2, 3, 3, 1]),
      });
      await session.release();
      const actual = out[session.outputNames[0]!]!.data as Float32Array;
      expect(actual.length).toBe(4);
      actual.forEach((value, i) => {
        expect(Math.abs(value - expected[i]!)).toBeLessThanOrEqual(1e-5);
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a safetensors file missing a weight is refused with the weight named', async () => {
    const m = model();
    const checkpoint = await tfjsCheckpoint(tf).read(m);
    checkpoint.tensors.delete('dense/bias');
    const bytes = encodeSafetensors(checkpoint);
    await expect(exportToOnnx(m, { safetensors: bytes })).rejects.toMatchObject({
      code: 'ONNX_EXPORT_MISSING_WEIGHT',
      tensor: 'dense/bias',
    });
  });
});

describe('embedded mode', () => {
  it('stores converted weights in the model, renamed when their layout changed', async () => {
    const m = model();
    const proto = fromBinary(ModelProtoSchema, await exportToOnnx(m, { weights: 'embedded' }));
    const byName = new Map(proto.graph!.initializer.map((t) => [t.name, t]));
    expect([...byName.keys()].sort()).toEqual([
      'conv2d/bias',
      'conv2d/kernel#transpose[3,2,0,1]',
      'dense/bias',
      'dense/kernel',
    ]);
    const kernel = byName.get('conv2d/kernel#transpose[3,2,0,1]')!;
    expect(kernel.dims.map(Number)).toEqual([2, 1, 2, 2]);
    expect(kernel.externalData).toEqual([]);
    const hwio = await m.layers[0]!.getWeights()[0]!.data();
    const oihw = new Float32Array(kernel.rawData.slice().buffer);
    // OIHW[o, 0, h, w] = HWIO[h, w, 0, o]
    for (let o = 0; o < 2; o++)
      for (let h = 0; h < 2; h++)
        for (let w = 0; w < 2; w++) expect(oihw[o * 4 + h * 2 + w]).toBe(hwio[h * 4 + w * 2 + o]);
  });
});
