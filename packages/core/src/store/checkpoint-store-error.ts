import { ReprokitError } from '../errors/reprokit-error.js';

/**
 * Codes of `CheckpointStoreError`.
 *
 * - `STORE_UNKNOWN_FORMAT`: no store recognises the file (the message says what it looks like).
 * - `STORE_FILE_NOT_FOUND`: a file the entry names (a shard, external data) is not there.
 * - `STORE_INVALID_NAME`: a file name that leaves the entry's folder (`..`, an absolute path).
 * - `STORE_NOT_WRITABLE`: a store that can only read was asked to write.
 * - `STORE_WRITE_FAILED`: the file system refused a step of a save (Node); the old checkpoint is intact.
 * - `STORE_LOCKED`: another live save holds the folder's lock (Node).
 * - `STORE_CHANGED`: the entry kept changing while it was read (saves in a loop beside the reader).
 */
export type CheckpointStoreErrorCode =
  | 'STORE_UNKNOWN_FORMAT'
  | 'STORE_FILE_NOT_FOUND'
  | 'STORE_INVALID_NAME'
  | 'STORE_NOT_WRITABLE'
  | 'STORE_WRITE_FAILED'
  | 'STORE_LOCKED'
  | 'STORE_CHANGED';

export interface CheckpointStoreErrorOptions {
  code: CheckpointStoreErrorCode;
  message: string;
  file?: string;
  tensor?: string;
  byteOffset?: number;
  cause?: unknown;
}

/**
 * A checkpoint could not be found, recognised or saved as a whole: the format is unknown, a
 * file it names is missing, a save is locked out. Errors inside one file keep their own class
 * (`SafetensorsError`, `OnnxError`, ...).
 *
 * @example
 * try { await readCheckpoint(input) } catch (error) {
 *   if (CheckpointStoreError.isInstance(error) && error.code === 'STORE_UNKNOWN_FORMAT') ...
 * }
 */
export class CheckpointStoreError extends ReprokitError {
  static override readonly errorName: string = 'CheckpointStoreError';
  declare readonly code: CheckpointStoreErrorCode;

  constructor(options: CheckpointStoreErrorOptions) {
    super({ ...options, origin: 'store' });
  }
}
