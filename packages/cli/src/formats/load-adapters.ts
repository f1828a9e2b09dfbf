import { CliError } from '../errors/cli-error.js';

/**
 * The adapter packages are imported on first use: `inspect` of a safetensors file must not
 * pay for loading the tfjs artifact code or the ONNX protobuf code.
 */
export function loadTfjsAdapter(): Promise<typeof import('@reprokit/tfjs')> {
  return import('@reprokit/tfjs');
}

export function loadOnnxAdapter(): Promise<typeof import('@reprokit/onnxruntime')> {
  return import('@reprokit/onnxruntime');
}

export function loadTfjsOnnx(): Promise<typeof import('@reprokit/tfjs-onnx')> {
  return import('@reprokit/tfjs-onnx');
}

/**
 * The TensorFlow.js runtime, an optional peer dependency: only a tfjs `--template` needs it
 * (to build the template's layers model). A missing install is an error that says so.
 */
export async function loadTfjsRuntime(): Promise<typeof import('@tensorflow/tfjs')> {
  try {
    return await import('@tensorflow/tfjs');
  } catch (cause) {
    throw new CliError({
      code: 'CLI_MISSING_PEER',
      message:
        'a tfjs --template needs the TensorFlow.js runtime: npm install @tensorflow/tfjs@^4.22.0 next to @reprokit/cli',
      cause,
    });
  }
}
