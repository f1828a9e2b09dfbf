import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Checkpoint, createCheckpoint, encodeSafetensors, fingerprint } from '@reprokit/core';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createSession,
  type OnnxModel,
  readOnnxCheckpoint,
  saveOnnxModel,
  writeOnnx,
} from '../src/index.js';
import { denseModel, f32, floats, quarters } from './onnx-model-builder.js';

// Lets a test stop saveOnnxModel right before model.onnx is written: the state a SIGKILL
// between the data file's rename and the model's leaves (the reliability suite kills for real).
const hooks = vi.hoisted(() => ({ failModelWrite: false }));
vi.mock('@reprokit/core', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@reprokit/core')>();
  return {
    ...actual,
    writeFileAtomic: (
      path: string,
      ...rest: Parameters<typeof actual.writeFileAtomic> extends [unknown, ...infer R] ? R : never
    ) => {
      if (hooks.failModelWrite && path.endsWith('.onnx')) {
        return Promise.reject(new Error('simulated crash before model.onnx'));
      }
      return actual.writeFileAtomic(path, ...rest);
    },
  };
});

let folder = '';
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'reprokit-onnx-crash-safe-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** denseModel's weights with values from `offset`, and metadata `padding` characters long (it moves every data offset). */
function weights(offset: number, padding: number): Checkpoint {
  const shapes: Array<[string, number[]]> = [
    ['W', [3, 4]],
    ['B', [4]],
    ['G', [5, 3]],
    ['C', [5]],
  ];
  return createCheckpoint(
    shapes.map(([name, shape], index) => [
      name,
      {
        dtype: 'F32',
        shape,
        data: f32(
          quarters(
            shape.reduce((a, b) => a * b, 1),
            offset + index,
          ),
        ),
      },
    ]),
    new Map([['note', 'x'.repeat(padding)]]),
  );
}

async function save(checkpoint: Checkpoint, dir: string): Promise<OnnxModel> {
  const model = await writeOnnx(denseModel(), checkpoint, { externalData: 'model.safetensors' });
  await saveOnnxModel(model, join(dir, 'model.onnx'));
  return model;
}

async function crashBeforeModel(checkpoint: Checkpoint, dir: string): Promise<void> {
  hooks.failModelWrite = true;
  try {
    await expect(save(checkpoint, dir)).rejects.toThrow('simulated crash before model.onnx');
  } finally {
    hooks.failModelWrite = false;
  }
}

const tensorsOnly = (checkpoint: Checkpoint) =>
  fingerprint(createCheckpoint([...checkpoint.tensors]));

describe('saveOnnxModel over an earlier save (external safetensors data)', () => {
  const old = weights(0, 1);
  const next = weights(5, 40); // a longer header: every offset moves

  it('leaves model.onnx, the data file and nothing else; the reader finds the new weights', async () => {
    const dir = await mkdtemp(join(folder, 'plain-'));
    await save(old, dir);
    await save(next, dir);
    expect((await readdir(dir)).sort()).toEqual(['model.onnx', 'model.safetensors']);
    expect(fingerprint(await readOnnxCheckpoint(join(dir, 'model.onnx')))).toBe(tensorsOnly(next));
  });

  it('cut short after the data file: the old model reads the kept original, then the next save cleans up', async () => {
    const dir = await mkdtemp(join(folder, 'window-'));
    await save(old, dir);
    await crashBeforeModel(next, dir);
    expect((await readdir(dir)).sort()).toEqual([
      'model.onnx',
      'model.safetensors',
      'model.safetensors.reprokit-old',
    ]);
    const modelPath = join(dir, 'model.onnx');
    expect(fingerprint(await readOnnxCheckpoint(modelPath))).toBe(tensorsOnly(old));
    // A session from the path gets the old weights too (its external data is read the same way).
    const session = await createSession(ort, modelPath, { seed: false });
    const x = new ort.Tensor('float32', Float32Array.from([1, 0, 0]), [1, 3]);
    const { y } = await session.run({ x });
    const W = floats(old.tensors.get('W')!);
    const B = floats(old.tensors.get('B')!);
    expect([...(y!.data as Float32Array)]).toEqual(W.slice(0, 4).map((w, i) => w + B[i]!));

    // A second save cut short at the same place must not replace the kept original with the
    // orphaned new file: model.onnx still reads the first save's weights.
    await crashBeforeModel(weights(9, 100), dir);
    expect(fingerprint(await readOnnxCheckpoint(modelPath))).toBe(tensorsOnly(old));

    await save(next, dir);
    expect(fingerprint(await readOnnxCheckpoint(modelPath))).toBe(tensorsOnly(next));
    expect((await readdir(dir)).sort()).toEqual(['model.onnx', 'model.safetensors']);
  });

  it('refuses a data file that does not match with ONNX_EXTERNAL_DATA_STALE naming the tensor, file and offset', async () => {
    const dir = await mkdtemp(join(folder, 'stale-'));
    await save(old, dir);
    await crashBeforeModel(next, dir);
    await rm(join(dir, 'model.safetensors.reprokit-old'));
    const error = await readOnnxCheckpoint(join(dir, 'model.onnx')).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'ONNX_EXTERNAL_DATA_STALE',
      origin: 'onnxruntime',
      file: join(dir, 'model.safetensors'),
    });
    const { tensor, byteOffset, message } = error as {
      tensor: string;
      byteOffset: number;
      message: string;
    };
    expect(['W', 'B', 'G', 'C']).toContain(tensor);
    expect(byteOffset).toBeGreaterThan(8);
    expect(message).toMatch(
      /expects bytes \d+\.\.\d+ \(F32 \[[\d,]+\]\), but the file holds it at bytes \d+\.\.\d+/,
    );
    await expect(
      createSession(ort, join(dir, 'model.onnx'), { seed: false }),
    ).rejects.toMatchObject({
      code: 'ONNX_EXTERNAL_DATA_STALE',
    });
  });

  it('a kept original that does not match either is not used', async () => {
    const dir = await mkdtemp(join(folder, 'bad-kept-'));
    await save(old, dir);
    await crashBeforeModel(next, dir);
    // Replace the kept original with a third save's file (other offsets again).
    await rm(join(dir, 'model.safetensors.reprokit-old'));
    await writeFile(join(dir, 'model.safetensors.reprokit-old'), encodeSafetensors(weights(3, 77)));
    await expect(readOnnxCheckpoint(join(dir, 'model.onnx'))).rejects.toMatchObject({
      code: 'ONNX_EXTERNAL_DATA_STALE',
    });
  });

  it('cut short with a data file of the same layout: the old model reads the new weights, complete', async () => {
    // Same names, dtypes, shapes and header length (padding to 8 bytes absorbs the metadata
    // difference): every offset still matches, so the new file is read, and it is whole.
    const dir = await mkdtemp(join(folder, 'same-layout-'));
    await save(old, dir);
    const sameLayout = weights(9, 2);
    await crashBeforeModel(sameLayout, dir);
    expect(fingerprint(await readOnnxCheckpoint(join(dir, 'model.onnx')))).toBe(
      tensorsOnly(sameLayout),
    );
  });

  it('reads non-safetensors external data (an opaque blob, as the onnx Python package writes) as before', async () => {
    const dir = await mkdtemp(join(folder, 'raw-'));
    await save(old, dir);
    const raw = new Uint8Array(await readFile(join(dir, 'model.safetensors')));
    // No longer looks like safetensors (the header's first byte is not '{'): no header check.
    raw[8] = 0x20;
    await writeFile(join(dir, 'model.safetensors'), raw);
    expect(fingerprint(await readOnnxCheckpoint(join(dir, 'model.onnx')))).toBe(tensorsOnly(old));
  });
});
