/**
 * Session creation from graph + safetensors bytes through in-memory `externalData`
 * (candidate) against creation from the same model with embedded weights (baseline).
 * Target: candidate / baseline <= 1.2.
 */
import { encodeSafetensors } from '@reprokit/core';
import * as ort from 'onnxruntime-node';
import { createSession, encodeOnnxModel, writeOnnx } from '../src/index.js';
import { largeCheckpoint, largeGraph, measure, printTable } from './large-model.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const graph = largeGraph();
const checkpoint = largeCheckpoint(1);
const embedded = encodeOnnxModel(await writeOnnx(graph, checkpoint));
const safetensors = encodeSafetensors(checkpoint);
const graphOnly = encodeOnnxModel(graph);
console.log(
  `model: ${(embedded.byteLength / 1e6).toFixed(1)} MB embedded; graph ${(graphOnly.byteLength / 1e3).toFixed(1)} kB + safetensors ${(safetensors.byteLength / 1e6).toFixed(1)} MB; median of ${RUNS}, round-robin`,
);

const feeds = { x: new ort.Tensor('float32', new Float32Array(1024).fill(0.5), [1, 1024]) };
const output = async (session: ort.InferenceSession) => {
  const y = (await session.run(feeds)).y!.data as Float32Array;
  await session.release();
  return Buffer.from(y.buffer);
};
// Same numbers both ways, or the comparison means nothing.
const a = await output(await ort.InferenceSession.create(embedded));
const b = await output(await createSession(ort, graphOnly, { checkpoint: safetensors }));
if (Buffer.compare(a, b) !== 0) throw new Error('outputs differ');

const medians = await measure(RUNS, {
  'baseline: InferenceSession.create(embedded model bytes)': async () =>
    (await ort.InferenceSession.create(embedded)).release(),
  'createSession(graph, { checkpoint: safetensors bytes })': async () =>
    (await createSession(ort, graphOnly, { checkpoint: safetensors })).release(),
  'createSession(graph, { checkpoint: Checkpoint })': async () =>
    (await createSession(ort, graphOnly, { checkpoint })).release(),
});
printTable('session creation, 218 MB of weights', medians);
const [baseline, candidate] = Object.values(medians);
console.log(
  `ratio safetensors bytes / embedded (target <= 1.2): ${(candidate! / baseline!).toFixed(2)}`,
);
