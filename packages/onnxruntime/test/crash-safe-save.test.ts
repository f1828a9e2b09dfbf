import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Checkpoint, createCheckpoint, encodeSafetensors, fingerprint } from '@reprokit/core';
import type { SaveStage } from '@reprokit/core/node';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OnnxModel, writeOnnx } from '../src/index.js';
import { createSession, readOnnxCheckpoint, saveOnnxModel } from '../src/node/index.js';
import { denseModel, f32, floats, quarters } from './onnx-model-builder.js';

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

async function save(
  checkpoint: Checkpoint,
  dir: string,
  stopAt?: SaveStage,
  externalData = 'model.safetensors',
): Promise<OnnxModel> {
  const model = await writeOnnx(denseModel(), checkpoint, { externalData });
  await saveOnnxModel(model, join(dir, 'model.onnx'), {
    onStage: (stage) => {
      // What a SIGKILL at this point leaves (the reliability suite kills for real).
      if (stage === stopAt) throw new Error(`stopped at ${stage}`);
    },
  });
  return model;
}

const tensorsOnly = (checkpoint: Checkpoint) =>
  fingerprint(createCheckpoint([...checkpoint.tensors]));

/** y for x = [1, 0, 0]: the first row of W plus B. */
function expectedY(checkpoint: Checkpoint): number[] {
  const W = floats(checkpoint.tensors.get('W')!);
  const B = floats(checkpoint.tensors.get('B')!);
  return W.slice(0, 4).map((w, i) => Math.fround(w + B[i]!));
}

/** What plain ONNX Runtime computes from the model file, with no reprokit reader in between. */
async function plainOrt(path: string): Promise<number[]> {
  const session = await ort.InferenceSession.create(path);
  const x = new ort.Tensor('float32', Float32Array.from([1, 0, 0]), [1, 3]);
  const { y } = await session.run({ x });
  await session.release();
  return [...(y!.data as Float32Array)];
}

describe('saveOnnxModel over an earlier save (external safetensors data)', () => {
  const old = weights(0, 1);
  const next = weights(5, 40); // a longer header: every offset moves

  it('leaves model.onnx, the data file and nothing else; the reader finds the new weights', async () => {
    const dir = await mkdtemp(join(folder, 'plain-'));
    await save(old, dir);
    await save(next, dir);
    expect((await readdir(dir)).sort()).toEqual(['model.onnx', 'model.safetensors']);
    expect(fingerprint(await readOnnxCheckpoint(join(dir, 'model.onnx')))).toBe(tensorsOnly(next));
    expect(await plainOrt(join(dir, 'model.onnx'))).toEqual(expectedY(next));
  });

  const stages: Array<[SaveStage, 'old' | 'new']> = [
    ['encoded', 'old'],
    ['writing', 'old'],
    ['staged', 'old'],
    ['committed-staged', 'new'],
    ['settled', 'new'],
    ['committed', 'new'],
  ];
  for (const [stage, expected] of stages) {
    it(`stopped at "${stage}": reprokit and plain ONNX Runtime read the ${expected} model, complete; the next save cleans up`, async () => {
      const dir = await mkdtemp(join(folder, `${stage}-`));
      const modelPath = join(dir, 'model.onnx');
      await save(old, dir);
      await expect(save(next, dir, stage)).rejects.toThrow(`stopped at ${stage}`);
      const weightsNow = expected === 'old' ? old : next;
      expect(fingerprint(await readOnnxCheckpoint(modelPath))).toBe(tensorsOnly(weightsNow));
      expect(await plainOrt(modelPath)).toEqual(expectedY(weightsNow));
      // A session through reprokit from the path gets the same weights.
      const session = await createSession(ort, modelPath);
      const { y } = await session.run({
        x: new ort.Tensor('float32', Float32Array.from([1, 0, 0]), [1, 3]),
      });
      await session.release();
      expect([...(y!.data as Float32Array)]).toEqual(expectedY(weightsNow));

      const third = weights(9, 100);
      await save(third, dir);
      expect(fingerprint(await readOnnxCheckpoint(modelPath))).toBe(tensorsOnly(third));
      expect((await readdir(dir)).sort()).toEqual(['model.onnx', 'model.safetensors']);
    });
  }

  it('never deletes a data file the new model does not name (it may be shared with tfjs)', async () => {
    const dir = await mkdtemp(join(folder, 'shared-'));
    await save(old, dir, undefined, 'a.safetensors');
    await save(next, dir, undefined, 'b.safetensors');
    expect((await readdir(dir)).sort()).toEqual(['a.safetensors', 'b.safetensors', 'model.onnx']);
    expect(new Uint8Array(await readFile(join(dir, 'a.safetensors')))).toEqual(
      encodeSafetensors(old),
    );
    expect(fingerprint(await readOnnxCheckpoint(join(dir, 'model.onnx')))).toBe(tensorsOnly(next));
  });

  it('refuses a data file another program replaced with ONNX_EXTERNAL_DATA_STALE naming the tensor, file and offset', async () => {
    const dir = await mkdtemp(join(folder, 'stale-'));
    await save(old, dir);
    await writeFile(join(dir, 'model.safetensors'), encodeSafetensors(next));
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
    await expect(createSession(ort, join(dir, 'model.onnx'))).rejects.toMatchObject({
      code: 'ONNX_EXTERNAL_DATA_STALE',
    });
  });

  it('a data file replaced with one of the same layout gives the new weights, complete', async () => {
    // Same names, dtypes, shapes and header length (padding to 8 bytes absorbs the metadata
    // difference): every offset still matches, so the new file is read, and it is whole.
    const dir = await mkdtemp(join(folder, 'same-layout-'));
    await save(old, dir);
    const sameLayout = weights(9, 2);
    await writeFile(join(dir, 'model.safetensors'), encodeSafetensors(sameLayout));
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
