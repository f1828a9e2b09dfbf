import type { InferenceSession } from 'onnxruntime-common';

/**
 * The part of an ONNX Runtime JS module that reprokit uses. `onnxruntime-node`,
 * `onnxruntime-web` and `onnxruntime-react-native` all fit, so the runtime is passed in
 * rather than imported: `createSession(await import('onnxruntime-node'), model)`.
 */
export interface OrtModule {
  readonly InferenceSession: {
    create(
      buffer: Uint8Array,
      options?: InferenceSession.SessionOptions,
    ): Promise<InferenceSession>;
  };
}
