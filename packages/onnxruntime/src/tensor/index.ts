export {
  embedTensorData,
  externalTensorData,
} from './checkpoint-tensor-to-tensor-proto.js';
export {
  type ExternalDataReference,
  normalizeLocation,
  parseExternalDataReference,
} from './external-data-location.js';
export { ExternalDataReader } from './external-data-reader.js';
export { ExternalDataStaleError } from './external-data-stale-error.js';
export {
  type ExpectedExternalTensor,
  expectedExternalTensors,
  findMismatch,
  KEPT_ORIGINAL_SUFFIX,
  readSafetensorsHeaderOf,
} from './safetensors-external-data.js';
export {
  tensorProtoSpec,
  tensorProtoToCheckpointTensor,
} from './tensor-proto-to-checkpoint-tensor.js';
