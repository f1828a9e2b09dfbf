import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createCheckpoint, encodeSafetensors, ReprokitError } from '@reprokit/core';
import type { InferenceSession } from 'onnxruntime-node';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import {
  createSession,
  deterministicSessionOptions,
  encodeOnnxModel,
  type OrtModule,
  patchOnnxWeights,
  readOnnxCheckpoint,
  writeOnnx,
} from '../src/index.js';
import { prepareSessionModel, SESSION_WEIGHTS_LOCATION } from '../src/internal/index.js';
import * as onnxNode from '../src/node/index.js';
import {
  batchNorm,
  conv2d,
  convModel,
  denseModel,
  f32,
  floats,
  graph,
  ifModel,
  matmul,
  model,
  node,
  replacementCheckpoint,
  transpose,
  valueInfo,
} from './onnx-model-builder.js';

const run = promisify(execFile);
const optionsChild = fileURLToPath(new URL('./session-options-child.ts', import.meta.url));
const X_DENSE = [1, -2, 3];
const X_CONV = Array.from({ length: 32 }, (_, i) => ((i * 5) % 9) - 4);

async function runDense(session: InferenceSession) {
  const out = await session.run({
    x: new ort.Tensor('float32', new Float32Array(X_DENSE), [1, 3]),
  });
  const result = { y: [...(out.y!.data as Float32Array)], z: [...(out.z!.data as Float32Array)] };
  await session.release();
  return result;
}

/** What the dense model computes, in plain JS, from a checkpoint's values. */
function expectedDense(tensors: Map<string, number[]>) {
  const xw = matmul(X_DENSE, tensors.get('W')!, 1, 3, 4);
  const y = xw.map((v, i) => Math.fround(v + tensors.get('B')![i]!));
  const xg = matmul(X_DENSE, transpose(tensors.get('G')!, 5, 3), 1, 3, 5);
  const z = xg.map((v, i) => Math.fround(v + tensors.get('C')![i]!));
  return { y, z };
}

function values(checkpoint: { tensors: Map<string, { data: Uint8Array }> }) {
  return new Map([...checkpoint.tensors].map(([name, tensor]) => [name, floats(tensor.data)]));
}

describe('createSession: weights swapped through reprokit drive ORT exactly', () => {
  it('MatMul + Add and Gemm(transB=1): outputs follow the new weights, bitwise equal to plain JS', async () => {
    const base = denseModel();
    const original = await readOnnxCheckpoint(base);
    expect(await runDense(await createSession(ort, base))).toEqual(expectedDense(values(original)));

    const replacement = replacementCheckpoint(original, 7);
    const expected = expectedDense(values(replacement));
    expect(expected).not.toEqual(expectedDense(values(original)));
    // Three routes to the same weights: a Checkpoint, safetensors bytes (zero copy), patched bytes.
    expect(await runDense(await createSession(ort, base, { checkpoint: replacement }))).toEqual(
      expected,
    );
    expect(
      await runDense(
        await createSession(ort, base, { checkpoint: encodeSafetensors(replacement) }),
      ),
    ).toEqual(expected);
    const patched = patchOnnxWeights(encodeOnnxModel(base), replacement).bytes;
    expect(await runDense(await ort.InferenceSession.create(patched))).toEqual(expected);
    expect(await runDense(await createSession(ort, await writeOnnx(base, replacement)))).toEqual(
      expected,
    );
  });

  it('Conv + BatchNormalization follow new weights (BN within float32 rounding of plain JS)', async () => {
    const base = convModel();
    const replacement = replacementCheckpoint(await readOnnxCheckpoint(base), 11);
    const session = await createSession(ort, base, { checkpoint: replacement });
    const out = await session.run({
      x: new ort.Tensor('float32', new Float32Array(X_CONV), [1, 2, 4, 4]),
    });
    await session.release();
    const v = values(replacement);
    const conv = conv2d(X_CONV, [2, 4, 4], v.get('K')!, [3, 3, 3], v.get('KB')!, 1);
    const expected = batchNorm(conv, 3, 16, {
      scale: v.get('scale')!,
      bias: v.get('bias')!,
      mean: v.get('mean')!,
      variance: v.get('var')!,
      epsilon: 1e-3,
    });
    const actual = [...(out.y!.data as Float32Array)];
    expect(actual).toHaveLength(48);
    actual.forEach((value, index) => {
      expect(Math.abs(value - expected[index]!)).toBeLessThanOrEqual(
        1e-5 * Math.max(1, Math.abs(expected[index]!)),
      );
    });
    // The Conv weights alone, seen through a BatchNormalization that is (nearly) the identity.
    const identity = createCheckpoint([
      ...[...replacement.tensors].filter(([name]) => ['K', 'KB'].includes(name)),
      ['scale', { dtype: 'F32', shape: [3], data: f32([1, 1, 1]) }],
      ['bias', { dtype: 'F32', shape: [3], data: f32([0, 0, 0]) }],
      ['mean', { dtype: 'F32', shape: [3], data: f32([0, 0, 0]) }],
      ['var', { dtype: 'F32', shape: [3], data: f32([1 - 1e-3, 1 - 1e-3, 1 - 1e-3]) }],
    ]);
    const plain = await createSession(ort, base, { checkpoint: identity });
    const convOut = await plain.run({
      x: new ort.Tensor('float32', new Float32Array(X_CONV), [1, 2, 4, 4]),
    });
    await plain.release();
    const got = [...(convOut.y!.data as Float32Array)];
    got.forEach((value, index) => {
      expect(Math.abs(value - conv[index]!)).toBeLessThanOrEqual(
        1e-5 * Math.max(1, Math.abs(conv[index]!)),
      );
    });
  });

  it('If with subgraph initializers: swapped branch weights are the ones ORT uses', async () => {
    const base = ifModel();
    const checkpoint = await readOnnxCheckpoint(base);
    checkpoint.tensors.set('choose.then_branch::T', {
      dtype: 'F32',
      shape: [3],
      data: f32([100, 200, 300]),
    });
    checkpoint.tensors.set('choose.else_branch::E', {
      dtype: 'F32',
      shape: [3],
      data: f32([-1, -2, -3]),
    });
    checkpoint.tensors.set('S', { dtype: 'F32', shape: [3], data: f32([2, 2, 2]) });
    const run = async (cond: boolean, source: Parameters<typeof createSession>[2]) => {
      const session = await createSession(ort, base, source);
      const out = await session.run({
        cond: new ort.Tensor('bool', new Uint8Array([cond ? 1 : 0]), []),
        x: new ort.Tensor('float32', new Float32Array([1, 2, 3]), [3]),
      });
      await session.release();
      return [...(out.y!.data as Float32Array)];
    };
    expect(await run(true, {})).toEqual([2, 4, 6]);
    expect(await run(false, {})).toEqual([10, 40, 90]);
    expect(await run(true, { checkpoint })).toEqual([102, 204, 306]);
    expect(await run(false, { checkpoint: encodeSafetensors(checkpoint) })).toEqual([-2, -8, -18]);
  });

  it('a model saved with external safetensors data runs from its path, also after a move', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'reprokit-onnx-session-'));
    try {
      const base = denseModel();
      const replacement = replacementCheckpoint(await readOnnxCheckpoint(base), 13);
      await onnxNode.saveOnnxModel(
        await writeOnnx(base, replacement, { externalData: 'weights/model.safetensors' }),
        join(folder, 'a', 'model.onnx'),
      );
      const expected = expectedDense(values(replacement));
      expect(
        await runDense(await onnxNode.createSession(ort, join(folder, 'a', 'model.onnx'))),
      ).toEqual(expected);
      // Saving the loaded model elsewhere copies its external file along.
      await onnxNode.saveOnnxModel(
        await onnxNode.loadOnnxModel(join(folder, 'a', 'model.onnx')),
        join(folder, 'b', 'model.onnx'),
      );
      expect(
        await runDense(await onnxNode.createSession(ort, join(folder, 'b', 'model.onnx'))),
      ).toEqual(expected);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('takes checkpoint tensors that are unaligned views into another buffer', async () => {
    const replacement = replacementCheckpoint(await readOnnxCheckpoint(denseModel()), 3);
    // raw_data views inside an encoded model sit at odd offsets of one big buffer.
    const views = await readOnnxCheckpoint(
      encodeOnnxModel(await writeOnnx(denseModel(), replacement)),
    );
    expect([...views.tensors.values()].some((tensor) => tensor.data.byteOffset % 4 !== 0)).toBe(
      true,
    );
    const session = await createSession(ort, denseModel(), { checkpoint: views });
    expect(await runDense(session)).toEqual(expectedDense(values(replacement)));
  });

  it('hands the checkpoint bytes to ORT in memory, zero copy, under one location', async () => {
    const base = denseModel();
    const file = encodeSafetensors(replacementCheckpoint(await readOnnxCheckpoint(base), 2));
    const prepared = prepareSessionModel(base, { checkpoint: file });
    expect(prepared.externalFiles.get(SESSION_WEIGHTS_LOCATION)).toBe(file);
    expect(
      prepared.proto.graph!.initializer.every((tensor) => tensor.rawData.byteLength === 0),
    ).toBe(true);
  });

  it('a checkpoint that does not fit is refused with every problem listed', async () => {
    const checkpoint = await readOnnxCheckpoint(denseModel());
    checkpoint.tensors.delete('C');
    checkpoint.tensors.set('extra', { dtype: 'F32', shape: [1], data: f32([0]) });
    for (const source of [checkpoint, encodeSafetensors(checkpoint)]) {
      let caught: unknown;
      try {
        await createSession(ort, denseModel(), { checkpoint: source });
      } catch (error) {
        caught = error;
      }
      expect(ReprokitError.isInstance(caught)).toBe(true);
      expect((caught as ReprokitError).message).toMatch(/missing "C"[\s\S]*unexpected "extra"/);
    }
  });
});

describe('determinism settings', () => {
  it('reach InferenceSession.create merged with the caller options', async () => {
    const seen: InferenceSession.SessionOptions[] = [];
    const fake: OrtModule = {
      InferenceSession: {
        create: async (_bytes, options) => {
          seen.push(options ?? {});
          return {} as InferenceSession;
        },
      },
    };
    await createSession(fake, denseModel(), {
      deterministic: { intraOpNumThreads: 2 },
      sessionOptions: {
        extra: { session: { disable_prepacking: '1' } },
        graphOptimizationLevel: 'basic',
      },
    });
    expect(seen[0]).toEqual({
      intraOpNumThreads: 2,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'basic',
      extra: { session: { use_deterministic_compute: '1', disable_prepacking: '1' } },
    });
    expect(deterministicSessionOptions({ useDeterministicCompute: false }).extra).toEqual({
      session: { use_deterministic_compute: '0' },
    });
  });

  it('pin the bits a thread count changes: equal across runs and sessions, and equal to one thread (control: 4 threads differ)', async () => {
    // ORT on CPU gives the same bits run after run for a given thread count, with or without
    // the settings; what changes the bits is the intra-op thread count, which ORT picks from the
    // machine's cores unless told. A MatMul with a long inner dimension shows it: MLAS splits
    // the sum over threads from 4 threads on (measured with onnxruntime-node 1.30; K = 4096 and
    // 16384 gave equal bits at every thread count). The settings pin one thread, so every
    // machine computes what one thread computes.
    const k = 65536;
    let state = 7;
    const next = () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return (state / 2 ** 32 - 0.5) * 2;
    };
    const a = Float32Array.from({ length: 4 * k }, next);
    const b = Float32Array.from({ length: k * 2 }, next);
    const base = model(
      graph({
        node: [node('MatMul', ['a', 'b'], ['y'])],
        input: [valueInfo('a', [4, k]), valueInfo('b', [k, 2])],
        output: [valueInfo('y', [4, 2])],
      }),
    );
    const feeds = {
      a: new ort.Tensor('float32', a, [4, k]),
      b: new ort.Tensor('float32', b, [k, 2]),
    };
    /** Hex of the output bits, for two runs of one new session. */
    const runs = async (options: Parameters<typeof createSession>[2]) => {
      const session = await createSession(ort, base, options);
      const bits: string[] = [];
      for (let r = 0; r < 2; r++) {
        const y = (await session.run(feeds)).y!.data as Float32Array;
        bits.push(Buffer.from(y.buffer, y.byteOffset, y.byteLength).toString('hex'));
      }
      await session.release();
      return bits;
    };
    const deterministic = [
      ...(await runs({ deterministic: true })),
      ...(await runs({ deterministic: true })),
    ];
    expect(new Set(deterministic).size).toBe(1);
    // The control: what ORT computes on its own on a 4-core machine is other bits.
    const fourThreads = await runs({ sessionOptions: { intraOpNumThreads: 4 } });
    expect(fourThreads[1]).toBe(fourThreads[0]);
    expect(fourThreads[0]).not.toBe(deterministic[0]);
    // One thread alone computes what the settings compute: the thread count is what matters.
    expect(await runs({ sessionOptions: { intraOpNumThreads: 1 } })).toEqual(
      deterministic.slice(0, 2),
    );
  });

  it('change what ORT reports in its own session options trace', async () => {
    const trace = async (mode: string) => {
      const { stdout, stderr } = await run(
        process.execPath,
        ['--conditions=@reprokit/source', '--import', 'tsx', optionsChild, mode],
        { cwd: fileURLToPath(new URL('..', import.meta.url)), maxBuffer: 64 * 1024 * 1024 },
      );
      const line = `${stdout}\n${stderr}`
        .split('\n')
        .find((text) => text.includes('Session Options {'));
      expect(line, 'ORT printed its session options').toBeDefined();
      return {
        deterministic: /use_deterministic_compute:(\d)/.exec(line!)?.[1],
        threads: [...line!.matchAll(/thread_pool_size: (\d+)/g)].map((match) => match[1]),
        executionMode: /execution_mode:(\d)/.exec(line!)?.[1],
      };
    };
    const [defaults, deterministic] = await Promise.all([trace('default'), trace('deterministic')]);
    // 0 threads means "ORT picks"; sequential execution is mode 0.
    expect(defaults).toEqual({ deterministic: '0', threads: ['0', '0'], executionMode: '0' });
    expect(deterministic).toEqual({ deterministic: '1', threads: ['1', '1'], executionMode: '0' });
  }, 300_000); // two child processes (about 9 s here), sized for a machine 5x slower

  it('an invalid setting is rejected by ORT, so the options are really read', async () => {
    await expect(
      createSession(ort, denseModel(), {
        sessionOptions: { executionMode: 'bogus' as 'parallel' },
      }),
    ).rejects.toThrow(/executionMode/);
    await expect(
      createSession(ort, denseModel(), {
        sessionOptions: { extra: { session: { use_deterministic_compute: 1 } } },
      }),
    ).rejects.toThrow(/extra value must be a string/);
  });
});
