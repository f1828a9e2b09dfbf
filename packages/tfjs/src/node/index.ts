// @reprokit/tfjs/node: everything that touches paths and files. The root entry works on bytes,
// Blobs and ByteSources anywhere; functions here that share a name with one of the root entry do
// what it does and also take paths.
export { loadLayersModelFromSafetensors } from './load-layers-model-from-safetensors.js';
export { safetensorsIO } from './safetensors-io.js';
export { registerSafetensorsRouter, SAFETENSORS_SCHEME } from './safetensors-router.js';
export { saveLayersModelToSafetensors } from './save-layers-model-to-safetensors.js';
export {
  type ReadTfjsArtifactsOptions,
  readTfjsArtifacts,
  type WriteTfjsArtifactsOptions,
  writeTfjsArtifacts,
} from './tfjs-artifacts-files.js';
export { readTrainingState, writeTrainingState } from './training-state-files.js';
