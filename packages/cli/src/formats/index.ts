export { detectInputFormat, type ResolvedInput } from './detect-input-format.js';
export { droppedMetadataKeys } from './dropped-metadata.js';
export { readWeights } from './read-weights.js';
export {
  checkMappingPreset,
  createMappingPreset,
  MAPPING_PRESETS,
  type MappingPresetInfo,
} from './resolve-mapping-preset.js';
export {
  type OutputFormat,
  type OutputTarget,
  resolveOutputTarget,
} from './resolve-output-target.js';
export { summarizeWeights, type TensorSummary, type WeightsSummary } from './summarize-weights.js';
export type { WeightsFormat } from './weights-format.js';
export { type WriteWeightsOptions, writeWeights } from './write-weights.js';
