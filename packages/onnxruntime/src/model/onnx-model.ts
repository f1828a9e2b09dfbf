import type { CheckpointFiles } from '@reprokit/core';
import type { ModelProto } from 'onnx-buf';

/**
 * Where a model's external data files are opened, by their location relative to the model: the
 * model's folder (`folderFiles` of `@reprokit/core/node`), the other files of a drop
 * (`blobFiles`), bytes in memory (`bytesFiles`). Any `CheckpointFiles` fits.
 */
export type ExternalDataFiles = Pick<CheckpointFiles, 'open'>;

/**
 * An ONNX model in memory: the decoded `ModelProto` plus what is needed to find its
 * external data. This is the model type of `onnxCheckpoint()`.
 *
 * External data `location`s are looked up first in `externalFiles` (bytes held in memory,
 * keyed by the location as written in the model), then opened through `files`.
 * `onnxCheckpoint().write` replaces `proto` and `externalFiles` in place.
 */
export interface OnnxModel {
  proto: ModelProto;
  /** Names the model in error messages: its path, its file name, or `<bytes>`. */
  name: string;
  /** External data files held in memory, by location. */
  externalFiles: Map<string, Uint8Array>;
  /** Where external data not held in memory is opened; `undefined` when nowhere. */
  files: ExternalDataFiles | undefined;
}

export interface OnnxModelOptions {
  /** Names the model in error messages. */
  name?: string;
  /** External data files held in memory, by location. */
  externalFiles?: Map<string, Uint8Array>;
  /** Where other external data files are opened. */
  files?: ExternalDataFiles;
}

/**
 * Wrap a decoded `ModelProto` as an `OnnxModel`.
 *
 * @example
 * const model = wrapModelProto(create(ModelProtoSchema, { irVersion: 8n, graph }));
 */
export function wrapModelProto(proto: ModelProto, options: OnnxModelOptions = {}): OnnxModel {
  return {
    proto,
    name: options.name ?? '<model>',
    externalFiles: options.externalFiles ?? new Map(),
    files: options.files,
  };
}
