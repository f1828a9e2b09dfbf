/** What `classify` returns for `count` images. */
export interface Classification {
  readonly count: number;
  /** The predicted digit of each image. */
  readonly labels: Uint8Array;
  /** `count * 10` logits (scores before softmax), image after image. */
  readonly logits: Float32Array;
}

/** A loaded classifier; the same answers whichever backend it runs on. */
export interface DigitClassifier {
  readonly backend: 'tfjs' | 'onnxruntime';
  /** Classify 28x28 grey images with pixels in [0, 1]. */
  classify(
    images: Float32Array | readonly number[] | readonly (readonly number[])[],
  ): Promise<Classification>;
  /** Free the model or session; `classify` throws `CLASSIFIER_DISPOSED` afterwards. */
  dispose(): Promise<void>;
}

/**
 * The label of each row of logits (the first maximum on ties, as `argMax` in both runtimes).
 *
 * @example
 * labelsFromLogits(Float32Array.of(0, 3, 1, 0, 0, 0, 0, 0, 0, 0), 10); // Uint8Array [1]
 */
export function labelsFromLogits(logits: Float32Array, classes: number): Uint8Array {
  const labels = new Uint8Array(logits.length / classes);
  for (let row = 0; row < labels.length; row++) {
    let best = 0;
    for (let column = 1; column < classes; column++) {
      if (logits[row * classes + column]! > logits[row * classes + best]!) best = column;
    }
    labels[row] = best;
  }
  return labels;
}
