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
