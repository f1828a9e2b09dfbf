import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import type { TfjsModule } from '../tfjs-module.js';

interface InitializerPrototype {
  apply?: (shape: number[], dtype?: string) => Tensor;
}

type ModelTopology = Parameters<TfjsModule['models']['modelFromJSON']>[0]['modelTopology'];

/**
 * Build a layers model from its topology without running its initializers: while it is built,
 * every registered initializer returns a placeholder, a tensor over one shared buffer of zeros,
 * instead of drawing (or filling) the initial values. Only for models whose every weight is
 * assigned right after: a placeholder must not outlive the load.
 *
 * Why: tfjs' own route draws random initial weights it then overwrites, and even zeros cost
 * an allocation and a fill the size of the weights (on the 256 MiB benchmark model, 160-620 ms
 * and 256 MiB of RSS; placeholders: under 20 ms and one buffer the size of the largest weight).
 * The model's config keeps its real initializers; no random numbers are drawn. Initializers are
 * patched on their prototypes for the length of the build only, and put back as they were
 * (also when a seed control has patched them itself).
 */
export async function buildWithPlaceholderWeights(
  tf: TfjsModule,
  modelTopology: unknown,
): Promise<LayersModel> {
  const classes = tf.serialization.SerializationMap.getMap().classNameMap as Record<
    string,
    unknown
  >;
  const zeros = (classes.Zeros as [{ prototype: object }] | undefined)?.[0];
  const initializerBase = zeros === undefined ? undefined : Object.getPrototypeOf(zeros.prototype);
  const placeholders = new PlaceholderBuffer(tf);
  const patched: Array<[InitializerPrototype, InitializerPrototype['apply']]> = [];
  if (initializerBase !== undefined) {
    for (const entry of Object.values(classes)) {
      const prototype = (entry as [{ prototype: InitializerPrototype }])[0]?.prototype;
      if (
        prototype === undefined ||
        !Object.prototype.isPrototypeOf.call(initializerBase, prototype) ||
        !Object.hasOwn(prototype, 'apply')
      ) {
        continue;
      }
      patched.push([prototype, prototype.apply]);
      prototype.apply = (shape, dtype) => placeholders.tensor(shape, dtype);
    }
  }
  try {
    return await tf.models.modelFromJSON({ modelTopology: modelTopology as ModelTopology });
  } finally {
    for (const [prototype, apply] of patched) prototype.apply = apply;
  }
}

/** Tensors over one buffer of zeros, grown when a larger one is asked for; never written. */
class PlaceholderBuffer {
  private buffer = new ArrayBuffer(0);

  constructor(private readonly tf: TfjsModule) {}

  tensor(shape: number[], dtype = 'float32'): Tensor {
    let count = 1;
    for (const dimension of shape) count *= dimension;
    const bytes = dtype === 'bool' ? count : count * 4;
    if (bytes > this.buffer.byteLength) this.buffer = new ArrayBuffer(bytes);
    if (dtype === 'int32')
      return this.tf.tensor(new Int32Array(this.buffer, 0, count), shape, dtype);
    if (dtype === 'bool')
      return this.tf.tensor(new Uint8Array(this.buffer, 0, count), shape, dtype);
    return this.tf.tensor(new Float32Array(this.buffer, 0, count), shape, 'float32');
  }
}
