// Runtime-neutral (no Node built-in): the model and the in-page training use these too.

/** Grey values per image: 28 x 28 pixels. */
export const IMAGE_SIZE = 784;

/** Digits as one flat array of 28x28 grey values in [0, 1], and their labels. */
export interface DigitSet {
  /** `count * 784` values, row-major, one image after the other. */
  readonly images: Float32Array;
  /** `count` labels, 0 to 9. */
  readonly labels: Uint8Array;
  readonly count: number;
}
