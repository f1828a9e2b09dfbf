export {
  type PatchOnnxWeightsOptions,
  type PatchOnnxWeightsResult,
  patchOnnxWeights,
} from './patch-onnx-weights.js';
export { type RawDataLocation, scanRawData } from './raw-data-scanner.js';
