import { describe, expect, it } from 'vitest';
import { addTensors } from './add-tensors.js';
import {
  checkEpsilon,
  epsilonsMatch,
  foldEpsilonIntoScale,
  formatNumber,
} from './epsilon-check.js';
import { f32, valuesOf } from './mapping-test-helpers.test-helper.js';

describe('epsilon check and fold', () => {
  it('compares epsilons as float32', () => {
    expect(epsilonsMatch(Math.fround(1e-5), 1e-5)).toBe(true);
    expect(epsilonsMatch(1e-5, 1e-3)).toBe(false);
    expect(formatNumber(Math.fround(1e-5))).toBe('0.00001');
  });

  it('throws, folds or warns by policy', () => {
    expect(checkEpsilon(1e-3, 1e-3, 'error')).toBe('check epsilon: source 0.001 = target 0.001');
    expect(() => checkEpsilon(1e-5, 1e-3, 'error', 'bn/gamma')).toThrow(
      expect.objectContaining({ code: 'MAPPING_EPSILON_MISMATCH', tensor: 'bn/gamma' }),
    );
    expect(checkEpsilon(1e-5, 1e-3, 'fold')).toBe('fold epsilon 0.00001 -> 0.001 into gamma');
    expect(checkEpsilon(1e-5, 1e-3, 'warn')).toMatch(/outputs will differ/);
  });

  it('folds an epsilon into gamma so the normalisation computes the same', () => {
    const gamma = f32([3], [0.5, -2, 1.25]);
    const variance = f32([3], [0, 1e-4, 4]);
    const folded = valuesOf(foldEpsilonIntoScale(gamma, variance, 1e-5, 1e-3));
    const x = 0.7;
    [0.5, -2, 1.25].forEach((g, i) => {
      const v = valuesOf(variance)[i]!;
      const original = (g * x) / Math.sqrt(v + 1e-5);
      const refolded = (folded[i]! * x) / Math.sqrt(v + 1e-3);
      expect(Math.abs(refolded - original)).toBeLessThan(1e-6 * Math.abs(original));
    });
  });

  it('adds F32 tensors with float32 rounding and refuses integers', () => {
    expect(valuesOf(addTensors(f32([2], [0.1, 1]), f32([2], [0.2, -3])))).toEqual([
      Math.fround(Math.fround(0.1) + Math.fround(0.2)),
      -2,
    ]);
    const ints = { dtype: 'I32' as const, shape: [1], data: new Uint8Array(4) };
    expect(() => addTensors(ints, ints)).toThrow(
      expect.objectContaining({ code: 'MAPPING_DTYPE_UNSUPPORTED' }),
    );
    expect(() => addTensors(f32([2], [1, 2]), f32([1], [1]))).toThrow(
      expect.objectContaining({ code: 'MAPPING_SHAPE_MISMATCH' }),
    );
  });
});
