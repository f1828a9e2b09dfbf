export {
  type LoadFromSafetensorsOptions,
  type LoadLayersModelInput,
  type LoadProgress,
  loadLayersModelFromSafetensors,
} from './load-layers-model-from-safetensors.js';
export { type SafetensorsIOOptions, safetensorsIO } from './safetensors-io.js';
export { SafetensorsIOError } from './safetensors-io-error.js';
