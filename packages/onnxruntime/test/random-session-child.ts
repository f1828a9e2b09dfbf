/**
 * Child process for seed.test.ts: builds the random model, makes a session the way argv[2]
 * says (`seed:<n>`, `control:<n>`: a control seeded through seedEverything, or `none`), runs it twice and prints
 * every output as JSON on stdout.
 */
import { seedEverything } from '@reprokit/core';
import * as ort from 'onnxruntime-node';
import { createSession, onnxSeedControl } from '../src/index.js';
import { randomModel } from './onnx-model-builder.js';

const mode = process.argv[2] ?? 'none';
const [kind, value] = mode.split(':');
const control = onnxSeedControl();
const scope =
  kind === 'control' ? seedEverything(Number(value), { controls: [control] }) : undefined;
const options =
  kind === 'seed' ? { seed: Number(value) } : kind === 'control' ? { seed: control } : {};
const session = await createSession(ort, randomModel(), options);
const feeds = { x: new ort.Tensor('float32', new Float32Array(8).fill(1), [8]) };
const runs: Record<string, number[]>[] = [];
for (let run = 0; run < 2; run++) {
  const out = await session.run(feeds);
  runs.push(
    Object.fromEntries(
      Object.entries(out).map(([name, tensor]) => [
        name,
        Array.from(tensor.data as ArrayLike<number | bigint>, Number),
      ]),
    ),
  );
}
await session.release();
scope?.release();
process.stdout.write(JSON.stringify(runs));
