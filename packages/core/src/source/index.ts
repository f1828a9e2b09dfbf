export { blobSource } from './blob-source.js';
export type { ByteSource, ByteSourceReadOptions } from './byte-source.js';
export {
  ByteSourceError,
  type ByteSourceErrorCode,
  type ByteSourceErrorOptions,
} from './byte-source-error.js';
export { bytesSource } from './bytes-source.js';
export { isByteSource, openByteSource, type SourceInput } from './open-byte-source.js';
