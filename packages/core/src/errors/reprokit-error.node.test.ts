import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SafetensorsError } from '../checkpoint/safetensors-error.js';
import * as core from '../index.js';
import { SeedError } from '../seed/seed-error.js';
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
    const foreign = Object.assign(new Error('x'), {
      [Symbol.for('reprokit.error.ReprokitError')]: true,
    });
    expect(ReprokitError.isInstance(foreign)).toBe(true);
    expect(ReprokitError.isInstance(new Error('plain'))).toBe(false);
    expect(ReprokitError.isInstance(null)).toBe(false);
  });

  it('tells sibling classes apart, and a subclass from its parent', () => {
    const seed = new SeedError({ code: 'SEED_INVALID', message: 'x' });
    const safetensors = new SafetensorsError({ code: 'SAFETENSORS_IO', message: 'x' });
    expect(SafetensorsError.isInstance(seed)).toBe(false);
    expect(SeedError.isInstance(safetensors)).toBe(false);
    expect(SeedError.isInstance(seed)).toBe(true);
    expect(ReprokitError.isInstance(seed)).toBe(true);
    expect(ReprokitError.isInstance(safetensors)).toBe(true);
    expect(
      SafetensorsError.isInstance(new ReprokitError({ code: 'X', origin: 'x', message: 'x' })),
    ).toBe(false);
    expect(seed.name).toBe('SeedError');
  });

  it('recognises errors made by a second copy of the package, class by class', async () => {
    // A copy of the sources in another folder: new class objects, as when two versions of
    // @reprokit/core sit side by side in node_modules.
    const folder = mkdtempSync(join(tmpdir(), 'reprokit-second-copy-'));
    cpSync(fileURLToPath(new URL('..', import.meta.url)), folder, { recursive: true });
    const copy = (await import(pathToFileURL(join(folder, 'index.ts')).href)) as typeof core;
    rmSync(folder, { recursive: true, force: true });
    expect(copy.SeedError).not.toBe(SeedError);
    const foreignSeed = new copy.SeedError({ code: 'SEED_INVALID', message: 'x' });
    expect(foreignSeed instanceof SeedError).toBe(false);
    expect(SeedError.isInstance(foreignSeed)).toBe(true);
    expect(ReprokitError.isInstance(foreignSeed)).toBe(true);
    expect(SafetensorsError.isInstance(foreignSeed)).toBe(false);
    expect(copy.SeedError.isInstance(new SeedError({ code: 'SEED_INVALID', message: 'x' }))).toBe(
      true,
    );
  });

  it('gives every class exported by core its own errorName', () => {
    const classes = Object.values(core).filter(
      (value): value is typeof ReprokitError =>
        typeof value === 'function' && value.prototype instanceof Error,
    );
    expect(classes.length).toBeGreaterThanOrEqual(6);
    for (const type of classes) {
      if (type === ReprokitError) continue;
      expect(Object.hasOwn(type, 'errorName'), type.name).toBe(true);
    }
    const names = classes.map((type) => type.errorName);
    expect(new Set(names).size).toBe(names.length);
  });
});
