import type { Checkpoint } from '../checkpoint/checkpoint.js';
import type { Dtype } from '../checkpoint/dtype.js';
import type { CheckpointFiles } from './checkpoint-files.js';

/**
 * One file format of checkpoints, as a plain object: it recognises its files, lists their
 * tensors from headers alone, reads them, and turns a checkpoint into the files of a save.
 * Writing the files to disk, crash-safe, is `writeCheckpoint` of `@reprokit/core/node`, the same
 * for every store; in a browser, `encode` gives the files to download or upload.
 *
 * Stores come from factories (`safetensorsStore()`, `shardedSafetensorsStore()`, and in the
 * adapter packages `tfjsArtifactsStore()`, `onnxStore()`, `kerasStore()`); there is no registry:
 * pass the stores you want to `readCheckpoint`.
 *
 * `specificationVersion` names this contract; a future `'v2'` will sit beside it.
 *
 * @example
 * const store = shardedSafetensorsStore();
 * const summary = await store.inspect(files); // headers only
 * const checkpoint = await store.read(files);
 */
export interface CheckpointStore<WriteOptions extends object = Record<never, never>> {
  readonly specificationVersion: 'v1';
  /** Stable name of the format: `safetensors`, `safetensors-sharded`, `tfjs-artifacts`, `onnx`, ... */
  readonly format: string;
  /**
   * File name endings of this format's entry file, longest first (`.safetensors.index.json`),
   * used to pick a store for an output path.
   */
  readonly extensions: readonly string[];
  /** Whether a file is this format's entry, judged from its name, size and first bytes. */
  detect(probe: FormatProbe): boolean;
  /** Tensor names, dtypes, shapes and metadata, read from headers only: no tensor bytes. */
  inspect(files: CheckpointFiles, options?: StoreReadOptions): Promise<CheckpointSummary>;
  /** Every tensor, in the order the format stores them. */
  read(files: CheckpointFiles, options?: StoreReadOptions): Promise<Checkpoint>;
  /**
   * The files that hold `checkpoint` in this format. Validates everything before returning, so
   * that a save that would fail fails before any file is touched. Absent for read-only stores.
   */
  encode?(
    checkpoint: Checkpoint,
    options: EncodeOptions & WriteOptions,
  ): Promise<EncodedCheckpoint>;
  /**
   * The data files an existing entry of this format names (shards), read from the entry alone,
   * so a save that replaces it can delete the ones it no longer needs. Stores whose data files
   * may be shared with other formats (ONNX external data) leave it out: nothing is deleted.
   */
  dataFilesOf?(entry: CheckpointFiles): Promise<string[]>;
}

/** What `detect` sees of a file. */
export interface FormatProbe {
  /** The file's name (last path segment, or the URL's last segment). */
  readonly name: string;
  readonly size: number;
  /** The first bytes of the file: all of it, or at least `PROBE_BYTES`. */
  readonly head: Uint8Array;
}

/** How many first bytes a format probe reads. */
export const PROBE_BYTES = 64 * 1024;

export interface StoreReadOptions {
  signal?: AbortSignal;
  /** Called as bytes arrive, for progress bars: bytes read so far and the total expected. */
  onProgress?: (read: number, total: number) => void;
}

/** One tensor as headers describe it. */
export interface TensorSummary {
  readonly name: string;
  readonly dtype: Dtype;
  readonly shape: readonly number[];
  /** Size of the tensor's data in bytes. */
  readonly byteLength: number;
}

/** What a checkpoint holds, from its headers. */
export interface CheckpointSummary {
  readonly format: string;
  readonly tensors: readonly TensorSummary[];
  readonly metadata: ReadonlyMap<string, string>;
  /** The files read, entry first. */
  readonly files: readonly string[];
}

export interface EncodeOptions {
  /** Name of the entry file the save writes (`model.json`, `model.onnx`); data files are named after it. */
  entryName: string;
}

/** One file of a save: its name relative to the entry's folder and its bytes, in pieces. */
export interface EncodedFile {
  readonly name: string;
  readonly chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
}

/**
 * The files of one save. Data files are written first; the entry, which names them, is written
 * last and is the commit point. `entry` is called with the name each data file was actually
 * written under: a crash-safe save may first put them under temporary names.
 */
export interface EncodedCheckpoint {
  readonly dataFiles: readonly EncodedFile[];
  entry(nameOf: (dataFile: string) => string): EncodedFile | Promise<EncodedFile>;
}
