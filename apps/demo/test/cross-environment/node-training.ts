/** What the Node side of the cross-environment check hands to the page (vitest `provide`). */
export interface NodeTraining {
  readonly seed: number;
  readonly epochs: number;
  /** The training digits: Float32 grey values as base64 (little-endian bytes), and labels. */
  readonly imagesBase64: string;
  readonly labels: readonly number[];
  /** Fingerprint per tfjs backend in Node, with fit's shuffle off and on. */
  readonly fingerprints: Readonly<
    Record<'cpu' | 'wasm', { readonly unshuffled: string; readonly shuffled: string }>
  >;
}

declare module 'vitest' {
  export interface ProvidedContext {
    nodeTraining: NodeTraining;
  }
}

/** 250 real MNIST digits (25 of each), 2 epochs: 8 steps of up to 64, enough to move every weight, seconds to run. */
export const CROSS_ENVIRONMENT_DIGITS = 250;
export const CROSS_ENVIRONMENT_EPOCHS = 2;
export const CROSS_ENVIRONMENT_SEED = 42;
