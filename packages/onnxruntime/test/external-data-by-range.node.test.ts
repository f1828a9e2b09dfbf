/*
 * External data read by range for ONNX Runtime (onnxruntime-node): a model whose weights live in
 * a safetensors file that also holds a 4 MiB tensor the model does not use, served by nginx
 * (Debian's, on loopback) and read from disk. The session from the URL must compute bitwise what
 * the session from the local path and the one with the weights embedded compute, and only the
 * initializers' ranges may cross the wire.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCheckpoint, fromTypedArray, parseSafetensorsHeader } from '@reprokit/core';
import { writeSafetensors } from '@reprokit/core/node';
import { useNginx } from '@reprokit/http-test-servers/vitest';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { rewriteModel } from '../src/graph/rewrite-model.js';
import { encodeOnnxModel, listInitializers, openOnnxModel } from '../src/index.js';
import { createSession as createSessionAt, loadOnnxModel } from '../src/node/index.js';
import { collectExternalData } from '../src/session/collect-external-data.js';
import { safetensorsTensorData } from '../src/tensor/checkpoint-tensor-to-tensor-proto.js';
import { f32Tensor, graph, model, node, quarters, valueInfo } from './onnx-model-builder.js';

const IN = 256;
const HIDDEN = 256;
const OUT = 128;
const UNUSED_BYTES = 4 * 2 ** 20;

/** y = Relu(x·W1 + B1)·W2, weights embedded; values k/4 keep every sum exact in float32. */
function embeddedModel() {
  return model(
    graph({
      node: [
        node('MatMul', ['x', 'W1'], ['h0']),
        node('Add', ['h0', 'B1'], ['h1']),
        node('Relu', ['h1'], ['h2']),
        node('MatMul', ['h2', 'W2'], ['y']),
      ],
      initializer: [
        f32Tensor('W1', [IN, HIDDEN], quarters(IN * HIDDEN, 1)),
        f32Tensor('B1', [HIDDEN], quarters(HIDDEN, 2)),
        f32Tensor('W2', [HIDDEN, OUT], quarters(HIDDEN * OUT, 3)),
      ],
      input: [valueInfo('x', [1, IN])],
      output: [valueInfo('y', [1, OUT])],
    }),
  );
}

const nginx = useNginx();
let usedBytes = 0;
let dataFileBytes = 0;
const feeds = {
  x: new ort.Tensor('float32', Float32Array.from(quarters(IN, 5)), [1, IN]),
};

beforeAll(async () => {
  const embedded = embeddedModel();
  // The weights plus a tensor the model never reads, between them in the file (names sort
  // B1, M_unused, W1, W2): a range reader skips it, a whole-file reader does not.
  const weights = new Map(
    listInitializers(embedded).map((entry) => [
      entry.name,
      {
        dtype: 'F32' as const,
        shape: entry.tensor.dims.map(Number),
        data: entry.tensor.rawData,
      },
    ]),
  );
  const checkpoint = createCheckpoint([
    ...weights,
    [
      'M_unused',
      fromTypedArray('F32', [UNUSED_BYTES / 4], new Float32Array(UNUSED_BYTES / 4).fill(7)),
    ],
  ]);
  const dataPath = join(nginx.root, 'model.safetensors');
  await writeSafetensors(checkpoint, dataPath);
  const { readFile } = await import('node:fs/promises');
  const dataBytes = new Uint8Array(await readFile(dataPath));
  dataFileBytes = dataBytes.byteLength;
  const header = parseSafetensorsHeader(dataBytes);
  const proto = rewriteModel(embedded.proto, {
    initializer: (tensor, name) => safetensorsTensorData(tensor, name, 'model.safetensors', header),
  });
  usedBytes = [...weights.values()].reduce((sum, tensor) => sum + tensor.data.byteLength, 0);
  await writeFile(join(nginx.root, 'model.onnx'), encodeOnnxModel({ ...embedded, proto }));
}, 300_000);

async function run(session: ort.InferenceSession): Promise<Float32Array> {
  const output = await session.run(feeds);
  const y = output.y!.data as Float32Array;
  await session.release();
  return y;
}

describe('external data read by range', () => {
  it('a session from the URL computes bitwise what the local-file and embedded sessions compute', async () => {
    const embedded = await run(await ort.InferenceSession.create(encodeOnnxModel(embeddedModel())));
    const local = await run(await createSessionAt(ort, join(nginx.root, 'model.onnx')));
    await nginx.clearAccessLog();
    const remote = await run(await createSessionAt(ort, `${nginx.url}/model.onnx`));
    expect(embedded.length).toBe(OUT);
    expect(Buffer.from(local.buffer).equals(Buffer.from(embedded.buffer))).toBe(true);
    expect(Buffer.from(remote.buffer).equals(Buffer.from(local.buffer))).toBe(true);
    // Only the initializers' ranges of the data file crossed the wire (plus the opening 64 kB
    // probe, which also holds the safetensors header the staleness check reads), not the
    // 4 MiB the model does not use.
    const log = await nginx.waitForAccessLog(2);
    const data = log.filter((entry) => entry.uri === '/model.safetensors');
    const sent = data.reduce((sum, entry) => sum + entry.bodyBytesSent, 0);
    expect(dataFileBytes).toBeGreaterThan(usedBytes + UNUSED_BYTES);
    expect(sent).toBeGreaterThanOrEqual(usedBytes);
    expect(sent).toBeLessThanOrEqual(usedBytes + 64_000);
  });

  it('hands ORT one in-memory file per range, the exact initializer bytes', async () => {
    const opened = await openOnnxModel(`${nginx.url}/model.onnx`);
    const { model: prepared, entries } = await collectExternalData(opened);
    expect(entries.map((entry) => entry.path).sort()).toEqual([
      'reprokit-range-0.bin',
      'reprokit-range-1.bin',
      'reprokit-range-2.bin',
    ]);
    expect(entries.reduce((sum, entry) => sum + (entry.data as Uint8Array).byteLength, 0)).toBe(
      usedBytes,
    );
    const byPath = new Map(entries.map((entry) => [entry.path, entry.data as Uint8Array]));
    const expected = new Map(
      listInitializers(embeddedModel()).map((entry) => [entry.name, entry.tensor.rawData]),
    );
    for (const entry of listInitializers(prepared)) {
      const location = entry.tensor.externalData.find((item) => item.key === 'location')!.value;
      expect(
        Buffer.from(byPath.get(location)!).equals(Buffer.from(expected.get(entry.name)!)),
      ).toBe(true);
    }
  });

  it('with externalDataUrl, hands ORT the URL and reads no data bytes (onnxruntime-web fetches it)', async () => {
    const opened = await loadOnnxModel(`${nginx.url}/model.onnx`);
    await nginx.clearAccessLog();
    const url = `${nginx.url}/model.safetensors`;
    const { model: prepared, entries } = await collectExternalData(opened, {
      externalDataUrl: (location) => (location === 'model.safetensors' ? url : undefined),
    });
    expect(entries).toEqual([{ path: 'model.safetensors', data: url }]);
    expect(prepared).toBe(opened);
    expect((await nginx.accessLog()).length).toBe(0);
  });

  it('a data file missing on the server: a typed error naming its URL', async () => {
    const opened = await openOnnxModel(`${nginx.url}/model.onnx`);
    const missing = {
      ...opened,
      proto: rewriteModel(opened.proto, {
        initializer(tensor) {
          for (const entry of tensor.externalData) {
            if (entry.key === 'location') entry.value = 'gone.safetensors';
          }
          return tensor;
        },
      }),
    };
    const error = await collectExternalData(missing).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'OnnxError', code: 'ONNX_EXTERNAL_DATA_MISSING' });
    expect((error as Error).message).toContain(`${nginx.url}/gone.safetensors`);
  });
});
