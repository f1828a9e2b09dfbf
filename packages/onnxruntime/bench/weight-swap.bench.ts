/**
 * Applying a new checkpoint (same shapes) to a 218 MB model, against reading that checkpoint
 * from its safetensors file (baseline). Target: the fast paths <= 2x the baseline. A full
 * decode + rewrite + re-encode of the protobuf is shown for reference: what the fast paths avoid.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeSafetensors } from '@reprokit/core';
import { readSafetensors, writeSafetensors } from '@reprokit/core/node';
import {
  decodeOnnxModel,
  encodeOnnxModel,
  patchOnnxWeights,
  readOnnxCheckpoint,
  writeOnnx,
} from '../src/index.js';
import { prepareSessionModel } from '../src/internal/index.js';
import { largeCheckpoint, largeGraph, measure, printTable } from './large-model.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const folder = await mkdtemp(join(tmpdir(), 'reprokit-onnx-bench-'));
try {
  const graph = largeGraph();
  const embedded = encodeOnnxModel(await writeOnnx(graph, largeCheckpoint(1)));
  const next = largeCheckpoint(2);
  const nextPath = join(folder, 'next.safetensors');
  await writeSafetensors(next, nextPath);
  const nextBytes = encodeSafetensors(next);
  const graphModel = decodeOnnxModel(encodeOnnxModel(graph));
  const work = embedded.slice();

  // The fast path must give exactly the weights the slow path gives.
  const patched = patchOnnxWeights(embedded, next).bytes;
  const full = encodeOnnxModel(await writeOnnx(decodeOnnxModel(embedded), next));
  if (Buffer.compare(patched, full) !== 0) throw new Error('patched bytes differ from re-encoded');
  const read = await readOnnxCheckpoint(patched);
  if (
    Buffer.compare(
      read.tensors.get('layer7.weight')!.data,
      next.tensors.get('layer7.weight')!.data,
    ) !== 0
  ) {
    throw new Error('patched weights are not the new ones');
  }
  console.log(`model ${(embedded.byteLength / 1e6).toFixed(1)} MB; median of ${RUNS}, round-robin`);

  const medians = await measure(RUNS, {
    'baseline: readSafetensors(new checkpoint file)': () => readSafetensors(nextPath),
    'patchOnnxWeights(model bytes, checkpoint, { inPlace: true })': () =>
      patchOnnxWeights(work, next, { inPlace: true }),
    'patchOnnxWeights(model bytes, checkpoint) (copy)': () => patchOnnxWeights(embedded, next),
    'prepareSessionModel(graph, { checkpoint: safetensors bytes })': () =>
      prepareSessionModel(graphModel, { checkpoint: nextBytes }),
    'writeOnnx(graph, checkpoint, { externalData }) (encodes safetensors)': () =>
      writeOnnx(graphModel, next, { externalData: 'model.safetensors' }),
    'reference: decode + writeOnnx + encode (full protobuf round trip)': async () =>
      encodeOnnxModel(await writeOnnx(decodeOnnxModel(embedded), next)),
  });
  printTable('apply a new 218 MB checkpoint', medians);
  const values = Object.values(medians);
  console.log(
    `ratio patch in place / read file (target <= 2): ${(values[1]! / values[0]!).toFixed(2)}`,
  );
  console.log(
    `ratio patch with copy / read file (target <= 2): ${(values[2]! / values[0]!).toFixed(2)}`,
  );
} finally {
  await rm(folder, { recursive: true, force: true });
}
