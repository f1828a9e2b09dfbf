/**
 * The weight formats the CLI reads and writes.
 * - `safetensors`: one `.safetensors` file.
 * - `safetensors-sharded`: a `*.safetensors.index.json` and the shards it names.
 * - `tfjs`: a TensorFlow.js `model.json` (weights manifest plus binary shards beside it).
 * - `tfjs-manifest`: a bare weights-manifest JSON array (`weights_manifest.json`).
 * - `onnx`: an `.onnx` model; its initializers are the weights.
 */
export type WeightsFormat =
  | 'safetensors'
  | 'safetensors-sharded'
  | 'tfjs'
  | 'tfjs-manifest'
  | 'onnx';
