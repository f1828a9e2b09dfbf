export {
  type LoadFromSafetensorsOptions,
  loadLayersModelFromSafetensors,
} from './load-layers-model-from-safetensors.js';
export { type SafetensorsIOOptions, safetensorsIO } from './safetensors-io.js';
export { SafetensorsIOError } from './safetensors-io-error.js';
