import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { DemoError } from '../cli/demo-error.js';

export type TfjsBackend = 'cpu' | 'wasm';

let wasmPathsSet = false;

/**
 * Switch tfjs to `backend`, registering the wasm binaries from the installed
 * `@tensorflow/tfjs-backend-wasm` on first use. Prod mode only silences tfjs' console
 * banner ("install tfjs-node"); it does not change any computed value.
 *
 * @example
 * const tf = await useTfjsBackend('wasm');
 */
export async function useTfjsBackend(backend: TfjsBackend): Promise<typeof tf> {
  tf.enableProdMode();
  if (!wasmPathsSet) {
    const wasmFile = createRequire(import.meta.url).resolve(
      '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm',
    );
    setWasmPaths(`${dirname(wasmFile)}/`);
    wasmPathsSet = true;
  }
  if (!(await tf.setBackend(backend))) {
    throw new DemoError({
      code: 'DEMO_BACKEND_UNAVAILABLE',
      message: `the tfjs "${backend}" backend did not initialise`,
    });
  }
  await tf.ready();
  return tf;
}

export { tf };
