/**
 * The part of an ONNX Runtime JS module that reprokit uses. `onnxruntime-node`,
 * `onnxruntime-web` and `onnxruntime-react-native` all fit, so the runtime is passed in rather
 * than imported: `createSession(ort, model)`. reprokit has no dependency on ONNX Runtime: the
 * session and session-option types come from the module passed in (`OrtSession<typeof ort>`).
 */
export interface OrtModule {
  readonly InferenceSession: {
    // biome-ignore lint/suspicious/noExplicitAny: each runtime's own SessionOptions type fits here.
    create(buffer: Uint8Array, options?: any): Promise<unknown>;
  };
}

/** The `InferenceSession` type of a runtime module (`OrtSession<typeof import('onnxruntime-node')>`). */
export type OrtSession<M extends OrtModule> = Awaited<ReturnType<M['InferenceSession']['create']>>;

/** The `InferenceSession.SessionOptions` type of a runtime module. */
export type OrtSessionOptions<M extends OrtModule> = NonNullable<
  Parameters<M['InferenceSession']['create']>[1]
>;
