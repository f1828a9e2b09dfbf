/**
 * The checkpoint-adapter and seed-control conformance suites on onnxruntime-web (wasm) in
 * Chromium, the same cases test/conformance.test.ts runs on onnxruntime-node.
 */
import {
  describeCheckpointAdapter,
  describeSeedControl,
} from '@reprokit/conformance/runtime-neutral';
import {
  createSession,
  encodeOnnxModel,
  type OnnxModel,
  onnxCheckpoint,
  onnxSeedControl,
} from '../../src/index.js';
import { denseModel, randomModel } from '../onnx-model-builder.js';
import { ort } from './onnxruntime-web.js';

const denseFeeds = () => ({
  x: new ort.Tensor('float32', new Float32Array([0.5, -1, 2]), [1, 3]),
});

async function outputs(
  session: ort.InferenceSession,
  names: string[],
  feeds: Record<string, ort.Tensor>,
) {
  const out = await session.run(feeds);
  await session.release();
  return names.flatMap((name) => [...(out[name]!.data as Float32Array)]);
}

// Each model gets other weights (the builder's value offset), as the suite requires.
let models = 0;
const nextModel = async () => denseModel(++models);

describeCheckpointAdapter('onnxruntime-web (embedded raw_data)', () => ({
  adapter: onnxCheckpoint(),
  createModel: nextModel,
  predict: async (onnx: OnnxModel) =>
    outputs(await ort.InferenceSession.create(encodeOnnxModel(onnx)), ['y', 'z'], denseFeeds()),
}));

describeCheckpointAdapter('onnxruntime-web (external safetensors data)', () => ({
  adapter: onnxCheckpoint({ externalData: 'model.safetensors' }),
  createModel: nextModel,
  // createSession hands the safetensors bytes to ORT as externalData, in memory.
  predict: async (onnx) => outputs(await createSession(ort, onnx), ['y', 'z'], denseFeeds()),
}));

const randomFeeds = () => ({ x: new ort.Tensor('float32', new Float32Array(8).fill(1), [8]) });

describeSeedControl('onnxruntime-web', () => ({
  control: onnxSeedControl(),
  // One draw = one new session seeded by the control's next per-session seed, and one run.
  draw: async (control) =>
    outputs(await createSession(ort, randomModel(), { seed: control }), ['u', 'n'], randomFeeds()),
}));
