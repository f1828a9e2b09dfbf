/**
 * The weight formats the CLI reads and writes: the `format` of each store.
 * - `safetensors`: one `.safetensors` file.
 * - `safetensors-sharded`: a `*.safetensors.index.json` and the shards it names.
 * - `tfjs-artifacts`: a TensorFlow.js `model.json` (or a bare weights manifest) and its shards.
 * - `onnx`: an `.onnx` model (its initializers, embedded or in external data files).
 * - `keras`: Keras `.h5` (`save_weights` / `model.save`), `.weights.h5` or `.keras`.
 */
export type WeightsFormat =
  | 'safetensors'
  | 'safetensors-sharded'
  | 'tfjs-artifacts'
  | 'onnx'
  | 'keras';
