/**
 * The part of the `@tensorflow/tfjs` module the seed control touches. Typed structurally so
 * that `import * as tf from '@tensorflow/tfjs'` (or `@tensorflow/tfjs-core` plus
 * `@tensorflow/tfjs-layers` merged by the caller) fits without reprokit importing tfjs.
 */
export interface TfjsModuleForSeed {
  /** Returns the engine singleton; its `startScope`/`endScope` bracket every op. */
  engine(): unknown;
  /** `tf.util`; `model.fit` calls `tf.util.shuffle` through this very object. */
  util: object;
  /** Registry of every serialisable class (initializers, layers) by class name. */
  serialization: {
    SerializationMap: { getMap(): { classNameMap: Record<string, unknown> } };
  };
  /** `tf.data`, when the module carries it. */
  data?: { Dataset?: unknown };
}
