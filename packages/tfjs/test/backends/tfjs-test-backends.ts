import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

/** The tfjs backends a test file runs on here. */
export type TfjsTestBackend = 'cpu' | 'wasm' | 'webgl';

/** True in the `chromium` project (a page), false in the `node` project. */
export const inBrowser = 'window' in globalThis && 'document' in globalThis;

/**
 * Every backend this environment has: Node runs `cpu` and `wasm`; Chromium adds `webgl`
 * (headless, on SwiftShader: the GPU is emulated on the CPU).
 */
export const testBackends: readonly TfjsTestBackend[] = inBrowser
  ? ['cpu', 'wasm', 'webgl']
  : ['cpu', 'wasm'];

let wasmPathsSet = false;

/**
 * Switch tfjs to `backend` and fail loudly when it does not start (tfjs would fall back to
 * another backend silently). In a page, the wasm backend fetches its binaries from the URLs
 * Vite serves them at; in Node it reads them from its own package folder.
 */
export async function useTestBackend(backend: TfjsTestBackend): Promise<void> {
  if (backend === 'wasm' && inBrowser && !wasmPathsSet) {
    const [plain, simd, threadedSimd] = await Promise.all([
      import('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url'),
      import('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url'),
      import('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url'),
    ]);
    setWasmPaths({
      'tfjs-backend-wasm.wasm': plain.default,
      'tfjs-backend-wasm-simd.wasm': simd.default,
      'tfjs-backend-wasm-threaded-simd.wasm': threadedSimd.default,
    });
    wasmPathsSet = true;
  }
  const started = await tf.setBackend(backend);
  await tf.ready();
  if (!started || tf.getBackend() !== backend) {
    throw new Error(`the tfjs backend "${backend}" did not start (active: ${tf.getBackend()})`);
  }
}
