import { describe, expect, it } from 'vitest';
import { createCheckpoint } from './checkpoint.js';
import { CheckpointMismatchError } from './checkpoint-mismatch-error.js';
import { closestNames } from './did-you-mean.js';
import { isCompleteWrite, planCheckpointWrite } from './write-report.js';

const f32 = (shape: number[]) => ({
  dtype: 'F32' as const,
  shape,
  data: new Uint8Array(shape.reduce((a, b) => a * b, 1) * 4),
});

describe('planCheckpointWrite', () => {
  const expected = new Map([
    ['dense/kernel', { dtype: 'F32' as const, shape: [3, 2] }],
    ['dense/bias', { dtype: 'F32' as const, shape: [2] }],
    ['dense_1/kernel', { dtype: 'F32' as const, shape: [2, 1] }],
  ]);

  it('loads every tensor when names, dtypes and shapes all match', () => {
    const checkpoint = createCheckpoint([
      ['dense/kernel', f32([3, 2])],
      ['dense/bias', f32([2])],
      ['dense_1/kernel', f32([2, 1])],
    ]);
    const report = planCheckpointWrite(expected, checkpoint);
    expect(report.loaded).toEqual(['dense/kernel', 'dense/bias', 'dense_1/kernel']);
    expect(isCompleteWrite(report)).toBe(true);
  });

  it('lists missing, unexpected and mismatched tensors with suggestions', () => {
    const checkpoint = createCheckpoint([
      ['dense/kernel', f32([2, 3])],
      ['dense/bais', f32([2])],
      ['dense_2/kernel', f32([2, 1])],
    ]);
    const report = planCheckpointWrite(expected, checkpoint);
    expect(report.loaded).toEqual([]);
    expect(report.mismatched).toEqual([
      {
        name: 'dense/kernel',
        expected: { dtype: 'F32', shape: [3, 2] },
        actual: { dtype: 'F32', shape: [2, 3] },
      },
    ]);
    expect(report.missing.map((m) => m.name)).toEqual(['dense/bias', 'dense_1/kernel']);
    expect(report.missing[0]?.didYouMean).toEqual(['dense/bais']);
    expect(report.unexpected.map((u) => [u.name, u.didYouMean])).toEqual([
      ['dense/bais', ['dense/bias']],
      ['dense_2/kernel', ['dense_1/kernel']],
    ]);
    const error = new CheckpointMismatchError('test', report);
    expect(error.code).toBe('CHECKPOINT_MISMATCH');
    expect(error.message).toContain('model wants F32 [3,2], checkpoint has F32 [2,3]');
    expect(error.message).toContain('missing "dense/bias" (did you mean "dense/bais"?)');
  });
});

describe('closestNames', () => {
  it('suggests nothing for unrelated names', () => {
    expect(closestNames('conv2d/kernel', ['lstm/recurrent_kernel', 'x'])).toEqual([]);
  });
});
