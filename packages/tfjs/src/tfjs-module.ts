import type * as tfjs from '@tensorflow/tfjs';

/**
 * The `@tensorflow/tfjs` module, as far as reprokit calls into it: what the seed control patches
 * (the engine, `tf.util`, the class registry, `tf.data`) and what builds tensors and models.
 * Every function that calls into tfjs takes it as its first argument, so reprokit uses your copy
 * of tfjs (and its engine and backend) and never imports one of its own.
 * `import * as tf from '@tensorflow/tfjs'` fits, and so does `@tensorflow/tfjs-core` merged with
 * `@tensorflow/tfjs-layers` by the caller.
 *
 * @example
 * import * as tf from '@tensorflow/tfjs';
 * const adapter = tfjsCheckpoint(tf);
 */
export interface TfjsModule {
  /** Returns the engine singleton; its `startScope`/`endScope` bracket every op. */
  engine(): unknown;
  /** `tf.util`; `model.fit` calls `tf.util.shuffle` through this very object. */
  util: object;
  /**
   * `tf.CallbackList`: where `tf.util` is frozen (tfjs as ES modules), the seed control reaches
   * `model.fit`'s shuffle through the callbacks fit awaits before it.
   */
  CallbackList?: unknown;
  /** Registry of every serialisable class (initializers, layers) by class name. */
  serialization: {
    SerializationMap: { getMap(): { classNameMap: Record<string, unknown> } };
  };
  /** `tf.data`, when the module carries it. */
  data?: { Dataset?: unknown };
  /** Makes the tensors weights are assigned from. */
  tensor: typeof tfjs.tensor;
  /** Builds a layers model from its topology. */
  models: Pick<typeof tfjs.models, 'modelFromJSON'>;
}
