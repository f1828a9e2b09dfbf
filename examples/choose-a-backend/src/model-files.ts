import { fileURLToPath } from 'node:url';

/**
 * The files this package ships in `model/`, found next to `src/` or `dist/` (both sit one
 * level under the package root, so the same relative URL works before and after the build).
 * - `model.safetensors`: the one weights file, read by both runtimes;
 * - `model.json`: the tfjs (Keras) topology, to build the tfjs model;
 * - `model.onnx`: the ONNX graph, whose initializers are external data in `model.safetensors`.
 */
export const MODEL_FILES = {
  weights: fileURLToPath(new URL('../model/model.safetensors', import.meta.url)),
  tfjsTopology: fileURLToPath(new URL('../model/model.json', import.meta.url)),
  onnxGraph: fileURLToPath(new URL('../model/model.onnx', import.meta.url)),
} as const;

/** Pixels per image: 28 x 28 grey values in [0, 1], row by row. */
export const IMAGE_SIZE = 784;

/** Digits 0 to 9. */
export const CLASSES = 10;
