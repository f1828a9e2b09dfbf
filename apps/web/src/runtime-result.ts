/** One runtime's answer for a batch of images. */
export interface RuntimeResult {
  readonly runtime: RuntimeName;
  /** `count * 10` logits, image after image. */
  readonly logits: Float32Array;
  /** The predicted digit of each image (first maximum on ties). */
  readonly labels: Uint8Array;
  /** Wall time of the inference call (input tensor to logits read back), in milliseconds. */
  readonly milliseconds: number;
}

export type RuntimeName = 'tfjs webgl' | 'tfjs wasm' | 'onnxruntime-web wasm';

/** A loaded copy of the model on one runtime. */
export interface RuntimeModel {
  readonly runtime: RuntimeName;
  /** `fingerprint()` of the weights as this runtime holds them (read back after loading). */
  readonly weightsFingerprint: string;
  classify(pixels: Float32Array, count: number): Promise<RuntimeResult>;
  dispose(): Promise<void>;
}

/** The label of each row of `classes` logits. */
export function labelsOf(logits: Float32Array, classes: number): Uint8Array {
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
