export {
  type LoadFromSafetensorsOptions,
  loadLayersModelFromSafetensors,
} from './load-layers-model-from-safetensors.js';
export { artifactsToCheckpoint, safetensorsIO, tfjsWeightNames } from './safetensors-io.js';
export { SafetensorsIOError } from './safetensors-io-error.js';
export { registerSafetensorsRouter, SAFETENSORS_SCHEME } from './safetensors-router.js';
export { saveLayersModelToSafetensors } from './save-layers-model-to-safetensors.js';
