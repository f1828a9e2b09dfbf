import { CliError } from '../errors/cli-error.js';

// The adapter packages are imported on first use: `inspect` of a safetensors file must not pay
// for loading the tfjs artifact code, the ONNX protobuf code or HDF5's wasm.

export function loadTfjsAdapter(): Promise<typeof import('@reprokit/tfjs')> {
  return import('@reprokit/tfjs');
}

export function loadOnnxAdapter(): Promise<typeof import('@reprokit/onnxruntime')> {
  return import('@reprokit/onnxruntime');
}

export function loadOnnxFiles(): Promise<typeof import('@reprokit/onnxruntime/node')> {
  return import('@reprokit/onnxruntime/node');
}

export function loadKerasAdapter(): Promise<typeof import('@reprokit/keras')> {
  return import('@reprokit/keras');
}

export function loadTfjsOnnx(): Promise<typeof import('@reprokit/tfjs-onnx')> {
  return import('@reprokit/tfjs-onnx');
}

/**
 * The TensorFlow.js runtime, an optional peer dependency: only conversions that build a layers
 * model need it (a tfjs `--template`, a mapping preset, an ONNX export). A missing install is
 * an error that says so.
 */
export async function loadTfjsRuntime(): Promise<typeof import('@tensorflow/tfjs')> {
  try {
    return await import('@tensorflow/tfjs');
  } catch (cause) {
    throw new CliError({
      code: 'CLI_MISSING_PEER',
      message:
        'this conversion builds a TensorFlow.js model and needs the runtime: npm install @tensorflow/tfjs@^4.22.0 next to @reprokit/cli',
      cause,
    });
  }
}
