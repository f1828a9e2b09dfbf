export { blobSource } from './blob-source.js';
export type { ByteSource, ByteSourceReadOptions } from './byte-source.js';
export {
  ByteSourceError,
  type ByteSourceErrorCode,
  type ByteSourceErrorOptions,
} from './byte-source-error.js';
export { bytesSource } from './bytes-source.js';
export { type ContentRange, parseContentRange } from './content-range.js';
export { httpSource } from './http-source.js';
export {
  DEFAULT_COALESCE_GAP_BYTES,
  DEFAULT_MAX_COALESCED_BYTES,
  DEFAULT_MAX_WHOLE_BODY_BYTES,
  DEFAULT_PROBE_BYTES,
  type FetchFunction,
  type HttpHeaders,
  type HttpProgress,
  type HttpSourceOptions,
} from './http-source-options.js';
export { type HuggingFaceSourceOptions, huggingFaceSource } from './hugging-face-source.js';
export {
  HUGGING_FACE_ENDPOINT,
  type HuggingFaceFile,
  type HuggingFaceRepoType,
  huggingFaceUrl,
  shardedIndexFileName,
} from './hugging-face-url.js';
export { isByteSource, isHttpUrl, openByteSource, type SourceInput } from './open-byte-source.js';
export { redactUrl } from './redact-url.js';
export { responseSource } from './response-source.js';
