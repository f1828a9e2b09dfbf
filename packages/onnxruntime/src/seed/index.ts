export { type ApplySeedsResult, applySeeds } from './apply-seeds.js';
export { nextSessionSeed, type OnnxSeedState, onnxSeedControl } from './onnx-seed-control.js';
