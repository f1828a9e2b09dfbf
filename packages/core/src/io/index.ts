export { removeStaleTemporaryFiles } from './remove-stale-temporary-files.js';
export {
  parseTemporaryFileName,
  TEMPORARY_SUFFIX,
  type TemporaryFileOwner,
  temporaryFileName,
} from './temporary-file-name.js';
export {
  type AtomicWriteData,
  type WriteFileAtomicOptions,
  writeFileAtomic,
} from './write-file-atomic.js';
export { isDeadWriter, writerTag } from './writer-tag.js';
