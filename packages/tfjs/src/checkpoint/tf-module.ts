import type * as tfTypes from '@tensorflow/tfjs';

/**
 * The parts of the `@tensorflow/tfjs` module reprokit calls at run time. Pass your own
 * (`{ tf }`) so reprokit uses the same tfjs copy (and engine) as your models; without it,
 * the peer dependency is imported lazily.
 */
export type TfModule = Pick<typeof tfTypes, 'tensor' | 'scalar' | 'zeros'> &
  Partial<Pick<typeof tfTypes, 'models' | 'io' | 'serialization'>>;

let lazy: Promise<TfModule> | undefined;

/** The given tf module, or the peer `@tensorflow/tfjs` imported on first use. */
export function resolveTf(tf: TfModule | undefined): Promise<TfModule> {
  if (tf !== undefined) return Promise.resolve(tf);
  lazy ??= import('@tensorflow/tfjs') as Promise<TfModule>;
  return lazy;
}
