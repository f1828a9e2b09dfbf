import { expect } from 'vitest';
import { SafetensorsError } from '../src/index.js';
import type { MalformedCase } from './malformed-safetensors-cases.js';

/**
 * Run each reader on a malformed case: each must throw a SafetensorsError with the case's
 * code, tensor and byte offset, naming `file` in its `file` field and its message.
 */
export async function expectRefused(
  malformed: MalformedCase,
  file: string,
  readers: Array<[string, () => unknown]>,
): Promise<void> {
  for (const [reader, attempt] of readers) {
    let caught: unknown;
    try {
      await attempt();
    } catch (error) {
      caught = error;
    }
    expect(SafetensorsError.isInstance(caught), `${reader}: ${String(caught)}`).toBe(true);
    const error = caught as SafetensorsError;
    expect({
      reader,
      code: error.code,
      tensor: error.tensor,
      byteOffset: error.byteOffset,
    }).toEqual({
      reader,
      code: malformed.code,
      tensor: malformed.tensor,
      byteOffset: malformed.byteOffset,
    });
    expect(error.file).toBe(file);
    expect(error.message).toContain(file);
  }
}
