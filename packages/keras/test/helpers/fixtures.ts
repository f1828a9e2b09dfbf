import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CheckpointTensor, Dtype } from '@reprokit/core';
import { toTypedArray } from '@reprokit/core';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/** One tensor `make_fixtures.py` wrote, with the checkpoint name reprokit must give it. */
export interface ExpectedTensor {
  readonly name: string;
  readonly path: string;
  readonly dtype: Dtype;
  readonly shape: number[];
  readonly seed: number | null;
  readonly positive?: boolean;
  readonly parts?: Array<{ path: string; seed: number; shape: number[] }>;
  readonly role?: 'optimizer';
}

export interface ExpectedFixture {
  readonly format: string;
  readonly tensors: ExpectedTensor[];
  readonly skipped: string[];
}

export const EXPECTED = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as Record<
  string,
  ExpectedFixture
> & { __bad__: Record<string, { code: string; layer?: string; tensor?: string }> };

/** The fixtures' weight files, by name. */
export const FIXTURE_NAMES = Object.keys(EXPECTED).filter((name) => name !== '__bad__');

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, name)));
}

/** `values()` of make_fixtures.py: ((i * 37 + seed * 11) % 101 - 50) / 16, exact in f16/bf16/f32. */
export function fixtureValues(
  seed: number,
  count: number,
  options: { positive?: boolean; integer?: boolean } = {},
): number[] {
  return Array.from({ length: count }, (_, i) => {
    const raw = (i * 37 + seed * 11) % 101;
    if (options.integer === true) return raw - 50;
    return options.positive === true ? (raw + 1) / 16 : (raw - 50) / 16;
  });
}

/** The values an expected tensor must hold, row-major (Keras 1 gates joined on the last axis). */
export function expectedValues(tensor: ExpectedTensor): number[] {
  const integer = tensor.dtype.startsWith('I') || tensor.dtype.startsWith('U');
  if (tensor.parts === undefined) {
    const count = tensor.shape.reduce((a, b) => a * b, 1);
    return fixtureValues(tensor.seed!, count, { positive: tensor.positive, integer });
  }
  const parts = tensor.parts.map((part) => ({
    width: part.shape.at(-1)!,
    values: fixtureValues(
      part.seed,
      part.shape.reduce((a, b) => a * b, 1),
    ),
  }));
  const rows = tensor.shape.slice(0, -1).reduce((a, b) => a * b, 1);
  const out: number[] = [];
  for (let row = 0; row < rows; row++) {
    for (const part of parts)
      out.push(...part.values.slice(row * part.width, (row + 1) * part.width));
  }
  return out;
}

/** A tensor's values as plain numbers (bigints converted). */
export function numbers(tensor: CheckpointTensor): number[] {
  return Array.from(toTypedArray(tensor) as ArrayLike<number | bigint>, (value) => Number(value));
}
