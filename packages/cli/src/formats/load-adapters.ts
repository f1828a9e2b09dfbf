/**
 * The adapter packages are imported on first use: `inspect` of a safetensors file must not
 * pay for loading TensorFlow.js or the ONNX protobuf code, and TensorFlow.js greets the
 * console when it loads.
 */
export function loadTfjsAdapter(): Promise<typeof import('@reprokit/tfjs')> {
  return import('@reprokit/tfjs');
}

export function loadOnnxAdapter(): Promise<typeof import('@reprokit/onnxruntime')> {
  return import('@reprokit/onnxruntime');
}

export function loadMappingPresets(): Promise<typeof import('@reprokit/tfjs-onnx')> {
  return import('@reprokit/tfjs-onnx');
}
