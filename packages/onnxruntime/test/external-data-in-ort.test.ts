/**
 * Issue 17: whatever reprokit writes with external data must load in plain ONNX Runtime 1.30,
 * from the file path and from bytes with the `externalData` option, and compute bitwise what the
 * same weights embedded compute. The models are made by the onnx Python package
 * (fixtures/onnx-python/make_fixtures.py): If and Loop bodies whose initializers shape inference
 * reads (Squeeze axes, Reshape shapes), a branch reading a main-graph weight, and main-graph
 * Reshape shapes.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Checkpoint, createCheckpoint } from '@reprokit/core';
import { writeCheckpoint } from '@reprokit/core/node';
import { TensorProto_DataLocation } from 'onnx-buf';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeOnnxModel,
  encodeOnnxModel,
  listInitializers,
  onnxStore,
  writeOnnx,
  writeOnnxWithReport,
} from '../src/index.js';
import { loadOnnxModel, readOnnxCheckpoint, saveOnnxModel } from '../src/node/index.js';
import { f32, floats } from './onnx-model-builder.js';

const fixtures = fileURLToPath(new URL('./fixtures/onnx-python/', import.meta.url));

let folder = '';
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'reprokit-onnx-ort-external-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

type Feeds = Record<string, InstanceType<typeof ort.Tensor>>;

const cases: Array<{
  fixture: string;
  feeds: Feeds[];
  keptEmbedded: Record<string, string>;
  external: string[];
}> = [
  {
    fixture: 'if-shapes',
    feeds: [true, false].map((cond) => ({
      cond: new ort.Tensor('bool', new Uint8Array([cond ? 1 : 0]), []),
      x: new ort.Tensor('float32', Float32Array.from([0.5, -1.25, 2, 3.5]), [1, 4]),
    })),
    keptEmbedded: {
      SM: 'shape-input',
      'branch.else_branch::S2': 'subgraph',
      'branch.else_branch::E': 'subgraph',
      'branch.then_branch::A': 'subgraph',
      'branch.then_branch::S': 'subgraph',
      'branch.then_branch::T': 'subgraph',
    },
    // OW is read by the then branch from the main graph (outer scope): it can stay external.
    external: ['W', 'OW'],
  },
  {
    fixture: 'loop-shapes',
    feeds: [0n, 1n, 3n].map((count) => ({
      M: new ort.Tensor('int64', BigInt64Array.from([count]), []),
      x: new ort.Tensor('float32', Float32Array.from([1, -2, 0.5, 4]), [4]),
    })),
    keptEmbedded: {
      'loop.body::U': 'subgraph',
      'loop.body::K': 'subgraph',
      'loop.body::S': 'subgraph',
    },
    external: ['V'],
  },
];

/** Float tensors replaced (so the outputs show where the weights came from); shapes kept. */
function replaced(checkpoint: Checkpoint): Checkpoint {
  return createCheckpoint(
    [...checkpoint.tensors].map(([name, tensor], index) => [
      name,
      tensor.dtype === 'F32'
        ? { ...tensor, data: f32(floats(tensor).map((value, i) => value * 1.5 - index + i / 8)) }
        : tensor,
    ]),
  );
}

async function outputs(session: ort.InferenceSession, feeds: Feeds[]): Promise<number[][]> {
  const all: number[][] = [];
  for (const feed of feeds) all.push([...((await session.run(feed)).y!.data as Float32Array)]);
  await session.release();
  return all;
}

/** Plain ORT on a saved model: from its path, and from its bytes with the data file in memory. */
async function plainOrt(path: string, dataFile: string, feeds: Feeds[]) {
  const dir = join(path, '..');
  const fromPath = await outputs(await ort.InferenceSession.create(path), feeds);
  const fromBytes = await outputs(
    await ort.InferenceSession.create(new Uint8Array(await readFile(path)), {
      externalData: [{ path: dataFile, data: new Uint8Array(await readFile(join(dir, dataFile))) }],
    }),
    feeds,
  );
  return { fromPath, fromBytes };
}

function storage(bytes: Uint8Array): Map<string, boolean> {
  return new Map(
    listInitializers(decodeOnnxModel(bytes)).map((entry) => [
      entry.name,
      entry.tensor.dataLocation === TensorProto_DataLocation.EXTERNAL,
    ]),
  );
}

describe('models with external data that reprokit writes load in plain ONNX Runtime', () => {
  for (const { fixture, feeds, keptEmbedded, external } of cases) {
    describe(fixture, () => {
      const path = join(fixtures, `${fixture}.onnx`);

      it('writeOnnx({ externalData }) + saveOnnxModel: same outputs as embedded, from the path and from bytes; the report names what stays embedded', async () => {
        const template = await loadOnnxModel(path);
        const checkpoint = replaced(await readOnnxCheckpoint(template));
        const embedded = encodeOnnxModel(await writeOnnx(template, checkpoint));
        const expected = await outputs(await ort.InferenceSession.create(embedded), feeds);
        expect(expected.flat().every(Number.isFinite)).toBe(true);
        // The replacement reaches the outputs: the original weights give other numbers.
        expect(await outputs(await ort.InferenceSession.create(path), feeds)).not.toEqual(expected);

        const result = await writeOnnxWithReport(template, checkpoint, {
          externalData: 'model.safetensors',
        });
        expect(Object.fromEntries(result.keptEmbedded)).toEqual(keptEmbedded);
        const dir = await mkdtemp(join(folder, `${fixture}-write-`));
        await saveOnnxModel(result.model, join(dir, 'model.onnx'));
        const saved = new Uint8Array(await readFile(join(dir, 'model.onnx')));
        const where = storage(saved);
        for (const name of Object.keys(keptEmbedded)) expect(where.get(name), name).toBe(false);
        for (const name of external) expect(where.get(name), name).toBe(true);
        const { fromPath, fromBytes } = await plainOrt(
          join(dir, 'model.onnx'),
          'model.safetensors',
          feeds,
        );
        expect(fromPath).toEqual(expected);
        expect(fromBytes).toEqual(expected);
        // The safetensors file holds the whole checkpoint, kept-embedded tensors included.
        const back = await readOnnxCheckpoint(join(dir, 'model.onnx'));
        expect([...back.tensors.keys()].sort()).toEqual([...checkpoint.tensors.keys()].sort());
      });

      it("onnxStore's encode through writeCheckpoint (what convert --template --external does): the same", async () => {
        const template = new Uint8Array(await readFile(path));
        const checkpoint = replaced(await readOnnxCheckpoint(template));
        const expected = await outputs(
          await ort.InferenceSession.create(encodeOnnxModel(await writeOnnx(template, checkpoint))),
          feeds,
        );
        const dir = await mkdtemp(join(folder, `${fixture}-store-`));
        await writeCheckpoint(onnxStore(), checkpoint, join(dir, 'net.onnx'), {
          template,
          externalData: true,
        });
        const { fromPath, fromBytes } = await plainOrt(
          join(dir, 'net.onnx'),
          'net.safetensors',
          feeds,
        );
        expect(fromPath).toEqual(expected);
        expect(fromBytes).toEqual(expected);
      });

      it('a model saved by the onnx package with every tensor external fails in ORT; saved again by reprokit it loads, with the same outputs', async () => {
        const broken = join(fixtures, 'subgraph-external', `${fixture}.onnx`);
        const expected = await outputs(await ort.InferenceSession.create(path), feeds);
        // The control: the form issue 17 reports really is refused by this ORT.
        await expect(ort.InferenceSession.create(broken)).rejects.toThrow(
          /Cannot parse data from external tensors/,
        );
        const dir = await mkdtemp(join(folder, `${fixture}-resave-`));
        await saveOnnxModel(await loadOnnxModel(broken), join(dir, 'model.onnx'));
        const { fromPath, fromBytes } = await plainOrt(
          join(dir, 'model.onnx'),
          `${fixture}.bin`,
          feeds,
        );
        expect(fromPath).toEqual(expected);
        expect(fromBytes).toEqual(expected);
      });
    });
  }
});
