import { SafetensorsIOError } from './safetensors-io-error.js';

/** A JSON value stored in safetensors `__metadata__`; bad JSON is `TFJS_IO_BAD_METADATA`. */
export function parseMetadataJson(text: string, key: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SafetensorsIOError({
      code: 'TFJS_IO_BAD_METADATA',
      message: `__metadata__ "${key}" is not valid JSON`,
      file,
      cause: error,
    });
  }
}
