export {
  type DecodeTfjsArtifactsOptions,
  decodeTfjsArtifacts,
  type TfjsArtifactsNames,
} from './decode-tfjs-artifacts.js';
export type { TfjsArtifactsWriteOptions } from './encode-tfjs-artifact-files.js';
export { encodeTfjsArtifacts } from './encode-tfjs-artifacts.js';
export { TfjsArtifactsError } from './tfjs-artifacts-error.js';
export {
  TFJS_ARTIFACTS_FORMAT,
  type TfjsArtifactsStoreOptions,
  tfjsArtifactsStore,
} from './tfjs-artifacts-store.js';
export { TFJS_METADATA_KEYS } from './tfjs-metadata-keys.js';
