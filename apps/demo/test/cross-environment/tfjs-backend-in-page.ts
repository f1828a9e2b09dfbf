import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import plainWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedSimdWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

// The wasm backend fetches its binaries from the URLs Vite serves them at.
setWasmPaths({
  'tfjs-backend-wasm.wasm': plainWasm,
  'tfjs-backend-wasm-simd.wasm': simdWasm,
  'tfjs-backend-wasm-threaded-simd.wasm': threadedSimdWasm,
});

/** Switch tfjs to `backend` in the page; fails when it does not start (no silent fallback). */
export async function useBackendInPage(backend: 'cpu' | 'wasm' | 'webgl'): Promise<typeof tf> {
  const started = await tf.setBackend(backend);
  await tf.ready();
  if (!started || tf.getBackend() !== backend) {
    throw new Error(`the tfjs backend "${backend}" did not start (active: ${tf.getBackend()})`);
  }
  return tf;
}
