import { describeCheckpointAdapter, describeSeedControl } from '@reprokit/conformance';
import * as ort from 'onnxruntime-node';
import {
  createSession,
  encodeOnnxModel,
  type OnnxModel,
  onnxCheckpoint,
  onnxSeedControl,
} from '../src/index.js';
import { denseModel, randomModel } from './onnx-model-builder.js';

async function predict(onnx: OnnxModel): Promise<number[]> {
  const session = await ort.InferenceSession.create(encodeOnnxModel(onnx));
  const out = await session.run({
    x: new ort.Tensor('float32', new Float32Array([0.5, -1, 2]), [1, 3]),
  });
  await session.release();
  return [...(out.y!.data as Float32Array), ...(out.z!.data as Float32Array)];
}

// Each model gets other weights (the builder's value offset), as the suite requires: with equal
// weights everywhere, a write that never reached the session would go unnoticed.
let models = 0;
const nextModel = async () => denseModel(++models);

describeCheckpointAdapter('onnxruntime (embedded raw_data)', () => ({
  adapter: onnxCheckpoint(),
  createModel: nextModel,
  predict,
}));

describeCheckpointAdapter('onnxruntime (external safetensors data)', () => ({
  adapter: onnxCheckpoint({ externalData: 'model.safetensors' }),
  createModel: nextModel,
  predict: async (onnx) => {
    const session = await createSession(ort, onnx);
    const out = await session.run({
      x: new ort.Tensor('float32', new Float32Array([0.5, -1, 2]), [1, 3]),
    });
    await session.release();
    return [...(out.y!.data as Float32Array), ...(out.z!.data as Float32Array)];
  },
}));

const randomFeeds = () => ({ x: new ort.Tensor('float32', new Float32Array(8).fill(1), [8]) });

describeSeedControl('onnxruntime', () => ({
  control: onnxSeedControl(),
  // One draw = one new session through createSession (seeded by the control's next
  // per-session seed) and one run: a seeded ORT node restarts with each session, so the
  // control advances per session.
  draw: async (control) => {
    const session = await createSession(ort, randomModel(), { seed: control });
    const out = await session.run(randomFeeds());
    await session.release();
    return [...(out.u!.data as Float32Array), ...(out.n!.data as Float32Array)];
  },
}));
