/**
 * What the chromium project's globalSetup (provide-onnxruntime-node-reference.ts) computes in
 * Node with onnxruntime-node and hands to the page through `provide`/`inject`: model bytes,
 * inputs and outputs as base64 of their exact bytes (JSON numbers would be enough for float32
 * values, but not for -0 or NaN payloads), so the page compares against this same run.
 */

/** A float32 tensor as its little-endian bytes in base64. */
export interface EncodedTensor {
  readonly name: string;
  readonly dims: readonly number[];
  readonly base64: string;
}

export interface EncodedCase {
  readonly name: string;
  /** The model as given to `createSession`, before reprokit stamps seeds on it. */
  readonly modelBase64: string;
  readonly seed?: number;
  readonly feeds: readonly EncodedTensor[];
  /** onnxruntime-node's outputs, `createSession(ort, model, { seed, deterministic: true })`. */
  readonly outputs: readonly EncodedTensor[];
}

export interface OnnxruntimeNodeReference {
  /** `onnxruntime-node`'s version, as it reports it. */
  readonly nodeVersion: string;
  /** `process.platform` of the Node side: its C++ standard library decides ORT's random engine. */
  readonly platform: string;
  readonly cases: readonly EncodedCase[];
}

declare module 'vitest' {
  export interface ProvidedContext {
    onnxruntimeNodeReference: OnnxruntimeNodeReference;
  }
}

export function bytesToBase64(bytes: Uint8Array): string {
  let text = '';
  for (let index = 0; index < bytes.length; index += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
  }
  return btoa(text);
}

export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
}

export function base64ToFloats(base64: string): Float32Array<ArrayBuffer> {
  return new Float32Array(base64ToBytes(base64).buffer);
}
