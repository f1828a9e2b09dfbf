/**
 * onnxruntime-web's wasm build, ready to use in a page: its .wasm file is fetched from the URL
 * Vite serves it at, and it runs on one thread (pages here are not cross-origin isolated, so
 * there is no SharedArrayBuffer for ORT's worker threads).
 */

import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import * as ort from 'onnxruntime-web/wasm';

ort.env.wasm.wasmPaths = { wasm: wasmUrl };
ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

export { ort };
