import { describe, expect, it } from 'vitest';
import { ReprokitError } from './reprokit-error.js';

describe('ReprokitError', () => {
  it('names the origin and location in its message and keeps them as fields', () => {
    const error = new ReprokitError({
      code: 'SAFETENSORS_TRUNCATED',
      origin: 'safetensors',
      message: 'data ends early',
      file: 'model.safetensors',
      tensor: 'dense/kernel',
      byteOffset: 1024,
    });
    expect(error.message).toBe(
      '[reprokit] [safetensors] data ends early (model.safetensors, tensor "dense/kernel", byte 1024)',
    );
    expect([error.code, error.file, error.tensor, error.byteOffset]).toEqual([
      'SAFETENSORS_TRUNCATED',
      'model.safetensors',
      'dense/kernel',
      1024,
    ]);
    expect(error.name).toBe('ReprokitError');
  });

  it('is recognised across copies of the package through a global symbol', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('reprokit.error')]: true });
    expect(ReprokitError.isInstance(foreign)).toBe(true);
    expect(ReprokitError.isInstance(new Error('plain'))).toBe(false);
    expect(ReprokitError.isInstance(null)).toBe(false);
  });
});
