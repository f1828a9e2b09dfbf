// @reprokit/core/node: everything that touches paths and files. The root entry works on
// bytes, Blobs and ByteSources in any JavaScript environment; this one adds Node's file system.
// Functions here that share a name with one of the root entry do what it does and take paths too.
export { type FileIdentity, fileSource } from './file-source.js';
export { type FolderFiles, folderFiles } from './folder-files.js';
export { type FolderLockOptions, LOCK_FILE_NAME, lockFolder } from './folder-lock.js';
export { inspectCheckpoint, readCheckpoint } from './read-checkpoint.js';
export {
  openSafetensors,
  readSafetensors,
  type WriteShardedOptions,
  writeSafetensors,
  writeShardedSafetensors,
} from './safetensors-files.js';
export {
  REPLACED_SUFFIX,
  type SaveStage,
  STAGED_SUFFIX,
  type WriteCheckpointCallbacks,
  writeCheckpoint,
} from './write-checkpoint.js';
export {
  type AtomicWriteData,
  type WriteFileAtomicOptions,
  writeFileAtomic,
} from './write-file-atomic.js';
