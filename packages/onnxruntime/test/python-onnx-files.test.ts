/**
 * Files written by the official `onnx` Python package (1.12, see
 * fixtures/onnx-python/make_fixtures.py), not by reprokit: typed fields as `make_tensor` writes
 * them, and external data that `onnx.save_model` moved out of the main graph and out of If
 * branches into one file.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { decodeOnnxModel, encodeOnnxModel, listInitializers, writeOnnx } from '../src/index.js';
import {
  createSession as createSessionAt,
  loadOnnxModel,
  readOnnxCheckpoint,
  saveOnnxModel,
} from '../src/node/index.js';
import { floats, matmul } from './onnx-model-builder.js';

const fixtures = fileURLToPath(new URL('./fixtures/onnx-python/', import.meta.url));

describe('ONNX files written by the onnx Python package', () => {
  it('typed fields: every dtype decodes to the values make_tensor was given', async () => {
    const checkpoint = await readOnnxCheckpoint(join(fixtures, 'typed-fields.onnx'));
    const get = (name: string) => checkpoint.tensors.get(name)!;
    const view = (name: string) => {
      const data = get(name).data.slice();
      return new DataView(data.buffer);
    };
    expect([get('f32').dtype, get('f32').shape, floats(get('f32'))]).toEqual([
      'F32',
      [2, 2],
      [1.5, -2, 0.25, 8],
    ]);
    const f16 = view('f16');
    expect([get('f16').dtype, [0, 2, 4].map((o) => f16.getUint16(o, true))]).toEqual([
      'F16',
      [0x3c00, 0xb800, 0x7bff],
    ]);
    const bf16 = view('bf16');
    expect([get('bf16').dtype, [0, 2].map((o) => bf16.getUint16(o, true))]).toEqual([
      'BF16',
      [0x3f80, 0xc040],
    ]);
    const f64 = view('f64');
    expect([f64.getFloat64(0, true), f64.getFloat64(8, true)]).toEqual([0.1, -1e300]);
    const i64 = view('i64');
    expect([0, 8, 16].map((o) => i64.getBigInt64(o, true))).toEqual([-1n, 2n ** 40n, 7n]);
    expect([...new Int8Array(get('i8').data.slice().buffer)]).toEqual([-128, 127]);
    expect([...new Uint16Array(get('u16').data.slice().buffer)]).toEqual([0, 65535]);
    expect([get('bool').dtype, [...get('bool').data]]).toEqual(['BOOL', [1, 0, 1]]);
    expect(view('u64').getBigUint64(0, true)).toBe(2n ** 63n + 5n);
    expect([...new Uint32Array(get('u32').data.slice().buffer)]).toEqual([4294967295, 3]);
  });

  it('external data, subgraph initializers included, reads and runs in ORT from the path', async () => {
    const path = join(fixtures, 'external', 'model.onnx');
    const checkpoint = await readOnnxCheckpoint(path);
    // onnx.helper writes attributes sorted by name, so else_branch comes first.
    expect([...checkpoint.tensors.keys()]).toEqual([
      'W',
      'branch.else_branch::E',
      'branch.then_branch::T',
    ]);
    const w = floats(checkpoint.tensors.get('W')!);
    expect(w).toEqual(Array.from({ length: 12 }, (_, i) => (i - 5) / 4));
    const x = [1, -2, 0.5];
    const xw = matmul(x, w, 1, 3, 4);
    const run = async (cond: boolean) => {
      const session = await createSessionAt(ort, path);
      const out = await session.run({
        cond: new ort.Tensor('bool', new Uint8Array([cond ? 1 : 0]), []),
        x: new ort.Tensor('float32', new Float32Array(x), [1, 3]),
      });
      await session.release();
      return [...(out.y!.data as Float32Array)];
    };
    expect(await run(true)).toEqual(xw.map((v, i) => Math.fround(v + [1, 2, 3, 4][i]!)));
    expect(await run(false)).toEqual(xw.map((v, i) => Math.fround(v * [-1, 0.5, 2, 10][i]!)));
  });

  it('embedded by reprokit, external entries are gone and the bytes are the same', async () => {
    const path = join(fixtures, 'external', 'model.onnx');
    const checkpoint = await readOnnxCheckpoint(path);
    const bytes = encodeOnnxModel(await writeOnnx(await loadOnnxModel(path), checkpoint));
    const decoded = decodeOnnxModel(bytes);
    const entries = listInitializers(decoded);
    expect(
      entries.map((entry) => [entry.tensor.dataLocation, entry.tensor.externalData.length]),
    ).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
    const back = await readOnnxCheckpoint(bytes);
    for (const [name, tensor] of checkpoint.tensors) {
      expect(Buffer.compare(back.tensors.get(name)!.data, tensor.data), name).toBe(0);
    }
  });

  it('rewritten by reprokit into one safetensors file, it reads back bitwise', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'reprokit-onnx-python-'));
    try {
      const path = join(fixtures, 'external', 'model.onnx');
      const checkpoint = await readOnnxCheckpoint(path);
      await saveOnnxModel(
        await writeOnnx(await loadOnnxModel(path), checkpoint, {
          externalData: 'model.safetensors',
        }),
        join(folder, 'model.onnx'),
      );
      const back = await readOnnxCheckpoint(join(folder, 'model.onnx'));
      for (const [name, tensor] of checkpoint.tensors) {
        expect(Buffer.compare(back.tensors.get(name)!.data, tensor.data), name).toBe(0);
      }
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
