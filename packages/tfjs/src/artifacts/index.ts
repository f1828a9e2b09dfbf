export { decodeManifestWeight, manifestWeightByteLength } from './decode-manifest-weight.js';
export {
  decodeTfjsArtifacts,
  type ReadTfjsArtifactsOptions,
  readTfjsArtifacts,
  resolveShardPath,
} from './read-tfjs-artifacts.js';
export { TfjsArtifactsError } from './tfjs-artifacts-error.js';
export { OPTIMIZER_PREFIX, TFJS_METADATA_KEYS } from './tfjs-metadata-keys.js';
export {
  parseTfjsModelJson,
  type TfjsModelJson,
  type WeightQuantization,
  type WeightsManifestEntry,
  type WeightsManifestGroup,
} from './weights-manifest.js';
export { type WriteTfjsArtifactsOptions, writeTfjsArtifacts } from './write-tfjs-artifacts.js';
