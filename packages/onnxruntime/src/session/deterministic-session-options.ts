export interface DeterminismOptions {
  /** Threads inside one op; default 1 (a parallel reduction may sum in a different order). */
  intraOpNumThreads?: number;
  /** Threads across independent ops; default 1. */
  interOpNumThreads?: number;
  /** Default `'sequential'`. */
  executionMode?: 'sequential' | 'parallel';
  /** ORT's `session.use_deterministic_compute` config entry; default `true`. */
  useDeterministicCompute?: boolean;
}

/** What `deterministicSessionOptions` returns: a part of ONNX Runtime's `SessionOptions`. */
export interface DeterministicSessionOptions {
  intraOpNumThreads: number;
  interOpNumThreads: number;
  executionMode: 'sequential' | 'parallel';
  extra: { session: { use_deterministic_compute: '0' | '1' } };
}

/**
 * Session options that ask ONNX Runtime for run-to-run identical results: one thread per op
 * and across ops, sequential execution, and the `session.use_deterministic_compute` config
 * entry (passed through `extra`, which the Node binding flattens to `session.*` keys; values
 * must be strings there). Merge them with your own through `createSession(..., { deterministic })`.
 *
 * @example
 * deterministicSessionOptions({ intraOpNumThreads: 2 }).extra; // { session: { use_deterministic_compute: '1' } }
 */
export function deterministicSessionOptions(
  options: DeterminismOptions = {},
): DeterministicSessionOptions {
  return {
    intraOpNumThreads: options.intraOpNumThreads ?? 1,
    interOpNumThreads: options.interOpNumThreads ?? 1,
    executionMode: options.executionMode ?? 'sequential',
    extra: {
      session: { use_deterministic_compute: (options.useDeterministicCompute ?? true) ? '1' : '0' },
    },
  };
}

type SessionOptionsLike = { readonly extra?: unknown; readonly externalData?: unknown };

/**
 * Merge session options: later ones win field by field; `extra` is merged one level deep
 * (so `extra.session` entries from both survive); `externalData` lists are concatenated.
 *
 * @example
 * mergeSessionOptions(deterministicSessionOptions(), { extra: { session: { disable_prepacking: '1' } } });
 */
export function mergeSessionOptions(
  ...list: Array<SessionOptionsLike | undefined>
): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  const extra: Record<string, unknown> = {};
  const externalData: unknown[] = [];
  for (const options of list) {
    if (options === undefined) continue;
    Object.assign(merged, options);
    if (isRecord(options.extra)) {
      for (const [key, value] of Object.entries(options.extra)) {
        const previous = extra[key];
        extra[key] = isRecord(previous) && isRecord(value) ? { ...previous, ...value } : value;
      }
    }
    if (Array.isArray(options.externalData)) externalData.push(...options.externalData);
  }
  if (Object.keys(extra).length > 0) merged.extra = extra;
  else delete merged.extra;
  if (externalData.length > 0) merged.externalData = externalData;
  else delete merged.externalData;
  return merged;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
