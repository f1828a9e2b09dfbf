/**
 * onnxruntime-web (wasm, one thread, in Chromium) against onnxruntime-node (in Node, this
 * run's globalSetup: provide-onnxruntime-node-reference.ts), same model bytes, same inputs,
 * both through `createSession(ort, model, { seed, deterministic: true })`. docs/determinism.md
 * reports what these tests measure: exact arithmetic gives the same bits, rounded arithmetic
 * differs in the last bits, and random ops draw other numbers for the same seed because the
 * two builds' C++ standard libraries have other default random engines.
 */
import { describe, expect, inject, it } from 'vitest';
import { applySeeds, createSession, decodeOnnxModel, readOnnxCheckpoint } from '../../src/index.js';
import { floatDifference } from '../float-difference.js';
import { sequentialMatrixVector } from '../sequential-matrix-vector.js';
import { stdUniformFloats } from '../std-uniform-floats.js';
import { base64ToBytes, base64ToFloats, type EncodedCase } from './onnxruntime-node-reference.js';
import { ort } from './onnxruntime-web.js';

const reference = inject('onnxruntimeNodeReference');

function caseNamed(name: string): EncodedCase {
  const found = reference.cases.find((testCase) => testCase.name === name);
  if (found === undefined) throw new Error(`no case ${name} from Node`);
  return found;
}

/** The case's outputs in the page, by name. */
async function runInPage(testCase: EncodedCase): Promise<Map<string, Float32Array>> {
  const session = await createSession(ort, base64ToBytes(testCase.modelBase64), {
    seed: testCase.seed,
    deterministic: true,
  });
  const feeds = Object.fromEntries(
    testCase.feeds.map((feed) => [
      feed.name,
      new ort.Tensor('float32', base64ToFloats(feed.base64), [...feed.dims]),
    ]),
  );
  const results = await session.run(feeds);
  await session.release();
  return new Map(
    testCase.outputs.map((output) => {
      expect(results[output.name]!.dims).toEqual(output.dims);
      return [output.name, results[output.name]!.data as Float32Array];
    }),
  );
}

/** Page against Node for every output of a case, logged so the run shows the numbers. */
async function measure(name: string) {
  const testCase = caseNamed(name);
  const page = await runInPage(testCase);
  const differences = new Map(
    testCase.outputs.map((output) => {
      const difference = floatDifference(page.get(output.name)!, base64ToFloats(output.base64));
      console.log(
        `onnxruntime-web ${ort.env.versions.web} vs onnxruntime-node ${reference.nodeVersion}, ${name}/${output.name}: ${JSON.stringify(difference)}`,
      );
      return [output.name, difference];
    }),
  );
  return { testCase, page, differences };
}

describe('onnxruntime-web in Chromium against onnxruntime-node, same run', () => {
  it('has the cases Node computed', () => {
    expect(reference.cases.map((testCase) => testCase.name)).toEqual([
      'dense-exact',
      'matmul',
      'mlp',
      'conv-net',
      'random-ops',
    ]);
  });

  it('exact arithmetic (MatMul, Add, Gemm on k/4 values): the same bits', async () => {
    const { differences } = await measure('dense-exact');
    for (const difference of differences.values()) expect(difference.differingBits).toBe(0);
  });

  it('MatMul: the page rounds each product and each sum; Node, on an x86-64 with FMA, fuses them', async () => {
    const { testCase, page, differences } = await measure('matmul');
    const x = base64ToFloats(testCase.feeds[0]!.base64);
    const checkpoint = await readOnnxCheckpoint(base64ToBytes(testCase.modelBase64));
    const weightBytes = checkpoint.tensors.get('W')!.data;
    const weights = new Float32Array(weightBytes.slice().buffer);
    const separate = sequentialMatrixVector(x, weights, 16, false);
    const fused = sequentialMatrixVector(x, weights, 16, true);
    expect(floatDifference(separate, fused).differingBits).toBeGreaterThan(0);
    // onnxruntime-web's wasm kernel: a multiply and an add per step, k from 0 up.
    expect(page.get('y')).toEqual(separate);
    // onnxruntime-node's MLAS picks its kernel by CPU: an FMA kernel sums as `fused` does
    // (seen on this repo's machines, AMD EPYC); a CPU without FMA would give `separate`.
    const node = base64ToFloats(testCase.outputs[0]!.base64);
    const nodeSums = [fused, separate].findIndex(
      (sums) => floatDifference(node, sums).differingBits === 0,
    );
    console.log(
      `onnxruntime-node's MatMul sums like ${['fused multiply-adds', 'a multiply and an add'][nodeSums] ?? 'neither'}`,
    );
    expect(nodeSums).not.toBe(-1);
    // So the two runtimes give the same bits exactly when Node's kernel does not fuse.
    expect(differences.get('y')!.differingBits > 0).toBe(nodeSums === 0);
  });

  // Rounded sums: the two builds' kernels (x86-64 MLAS in Node, wasm SIMD in the page) may
  // round differently. The bound is loose on purpose; the logged numbers are the finding.
  for (const name of ['mlp', 'conv-net']) {
    it(`${name} (seeded float weights): within 1e-5 of Node, differences logged`, async () => {
      const { differences } = await measure(name);
      for (const difference of differences.values()) {
        expect(difference.maxAbsolute).toBeLessThanOrEqual(1e-5);
      }
    });
  }

  it('random ops: other draws for the same seed, libc++ minstd_rand in the page, libstdc++ minstd_rand0 in Node', async () => {
    const { testCase, page, differences } = await measure('random-ops');
    const node = new Map(
      testCase.outputs.map((output) => [output.name, base64ToFloats(output.base64)]),
    );
    // 'fixed' has its own seed 7; 'u' gets the seed reprokit derives from 42 for node 'uniform'.
    const uniformSeed = applySeeds(
      decodeOnnxModel(base64ToBytes(testCase.modelBase64)),
      42,
    ).seeded.get('uniform')!;
    // onnxruntime-node for Linux is built against libstdc++; for macOS against libc++, whose
    // engine the wasm build shares (Windows' MSVC engine is another one: not reproduced here).
    const nodeLibrary = (
      { linux: 'libstdc++', darwin: 'libc++' } as Record<string, 'libstdc++' | 'libc++'>
    )[reference.platform];
    for (const [output, seed] of [
      ['fixed', 7],
      ['u', uniformSeed],
    ] as const) {
      if (nodeLibrary !== undefined) {
        expect(node.get(output)).toEqual(stdUniformFloats(nodeLibrary, seed, 8));
      }
      expect(page.get(output)).toEqual(stdUniformFloats('libc++', seed, 8));
    }
    // Every random output differs somewhere (Bernoulli and Dropout in some of their 8 places)
    // where the two engines differ.
    if (nodeLibrary === 'libstdc++') {
      for (const difference of differences.values()) {
        expect(difference.differingBits).toBeGreaterThan(0);
      }
    }
    // Within the page, the same seed gives the same draws again.
    const again = await runInPage(testCase);
    for (const [output, values] of page) expect(again.get(output)).toEqual(values);
  });
});
