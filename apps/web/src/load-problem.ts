import { CheckpointMismatchError, ReprokitError, SafetensorsError } from '@reprokit/core';

/** What the page says about a file it could not load: a headline and the typed error's text. */
export interface LoadProblem {
  readonly headline: string;
  /** The error's code (`SAFETENSORS_DATA_TRUNCATED`, `CHECKPOINT_MISMATCH`, ...), if typed. */
  readonly code: string | undefined;
  readonly detail: string;
}

const TRUNCATED = new Set(['SAFETENSORS_DATA_TRUNCATED', 'SAFETENSORS_HEADER_TRUNCATED']);

/**
 * Name the problem of a rejected file from reprokit's typed errors: a truncated file, a file
 * that is not safetensors at all, or a checkpoint made for another model.
 */
export function describeLoadProblem(fileName: string, error: unknown): LoadProblem {
  const detail = error instanceof Error ? error.message : String(error);
  if (SafetensorsError.isInstance(error)) {
    return {
      headline: TRUNCATED.has(error.code)
        ? `${fileName} is truncated: it ends before the data its header announces`
        : `${fileName} is not a safetensors file`,
      code: error.code,
      detail,
    };
  }
  if (CheckpointMismatchError.isInstance(error)) {
    return {
      headline: `${fileName} is a checkpoint for another model: its tensors do not fit this one`,
      code: error.code,
      detail,
    };
  }
  if (ReprokitError.isInstance(error)) {
    return { headline: `${fileName} could not be loaded`, code: error.code, detail };
  }
  return { headline: `${fileName} could not be loaded`, code: undefined, detail };
}
