import type { ModelProto } from 'onnx-buf';

/**
 * An ONNX model in memory: the decoded `ModelProto` plus what is needed to find its
 * external data. This is the model type of `onnxCheckpoint()`.
 *
 * External data `location`s are looked up first in `externalFiles` (bytes held in memory,
 * keyed by the location as written in the model), then in `folder` on disk.
 * `onnxCheckpoint().write` replaces `proto` and `externalFiles` in place.
 */
export interface OnnxModel {
  proto: ModelProto;
  /** Folder that external data locations are relative to; `undefined` for models from bytes. */
  folder: string | undefined;
  /** Where the model came from, for error messages: its path, or `<bytes>`. */
  source: string;
  /** External data files held in memory, by location. */
  externalFiles: Map<string, Uint8Array>;
}

/**
 * Wrap a decoded `ModelProto` as an `OnnxModel` (no external files, no folder unless given).
 *
 * @example
 * const model = wrapModelProto(create(ModelProtoSchema, { irVersion: 8n, graph }));
 */
export function wrapModelProto(
  proto: ModelProto,
  options: { folder?: string; source?: string; externalFiles?: Map<string, Uint8Array> } = {},
): OnnxModel {
  return {
    proto,
    folder: options.folder,
    source: options.source ?? '<model>',
    externalFiles: options.externalFiles ?? new Map(),
  };
}
