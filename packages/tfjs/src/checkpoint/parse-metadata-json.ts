import { TfjsError } from './tfjs-error.js';

/**
 * A JSON value stored as text in checkpoint metadata (a safetensors `__metadata__`: the tfjs
 * topology, training config, optimizer order, seed snapshot). Text that is not JSON is
 * `TFJS_BAD_METADATA`, naming the key and the file.
 */
export function parseMetadataJson(text: string, key: string, file?: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new TfjsError({
      code: 'TFJS_BAD_METADATA',
      message: `metadata "${key}" is not valid JSON`,
      file,
      cause,
    });
  }
}
