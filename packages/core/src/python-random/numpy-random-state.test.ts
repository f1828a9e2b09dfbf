import { describe, expect, it } from 'vitest';
import { numpyRandomState } from './numpy-random-state.js';
import { PythonRandomError } from './python-random-error.js';

describe('numpyRandomState known values', () => {
  it('gives the values NumPy 1.24 prints (pinned here so the browser run checks them too)', () => {
    const rs = numpyRandomState(42);
    expect(rs.rand()).toBe(0.3745401188473625);
    expect(Array.from(rs.permutation(5))).toEqual([0, 1, 3, 2, 4]);
    expect(Array.from(numpyRandomState(42).permutation(5))).toEqual([1, 4, 2, 0, 3]);
    const a = [0, 1, 2, 3, 4];
    numpyRandomState(42).shuffle(a);
    expect(a).toEqual([1, 4, 2, 0, 3]);
    expect(numpyRandomState(42).randint(0, 10, { size: 5 })).toEqual([6, 3, 7, 4, 6]);
    expect(numpyRandomState(42).choice(10, { size: 3 })).toEqual([6, 3, 7]);
    expect(numpyRandomState(0).randomSample()).toBe(0.5488135039273248);
    expect(numpyRandomState(0).standardNormal()).toBe(1.764052345967664);
    expect(Array.from(numpyRandomState(42).randn(3))).toEqual([
      0.4967141530112327, -0.13826430117118466, 0.6476885381006925,
    ]);
  });
});

describe('numpyRandomState errors', () => {
  const codeOf = (action: () => unknown) => {
    try {
      action();
    } catch (error) {
      expect(PythonRandomError.isInstance(error)).toBe(true);
      return (error as PythonRandomError).code;
    }
    return 'no error';
  };

  it('refuses the seeds RandomState refuses', () => {
    expect(codeOf(() => numpyRandomState(-1))).toBe('PYTHON_RANDOM_INVALID_SEED');
    expect(codeOf(() => numpyRandomState(2 ** 32))).toBe('PYTHON_RANDOM_INVALID_SEED');
    expect(codeOf(() => numpyRandomState(1.5))).toBe('PYTHON_RANDOM_INVALID_SEED');
    expect(codeOf(() => numpyRandomState([]))).toBe('PYTHON_RANDOM_INVALID_SEED');
    expect(codeOf(() => numpyRandomState([1, -2]))).toBe('PYTHON_RANDOM_INVALID_SEED');
  });

  it('refuses bad arguments and bad states, and a refused state changes nothing', () => {
    const rs = numpyRandomState(1);
    expect(codeOf(() => rs.randint(0))).toBe('PYTHON_RANDOM_INVALID_ARGUMENT');
    expect(codeOf(() => rs.randint(5, 5))).toBe('PYTHON_RANDOM_INVALID_ARGUMENT');
    expect(codeOf(() => rs.randint(0, 300, { size: 2, dtype: 'uint8' }))).toBe(
      'PYTHON_RANDOM_INVALID_ARGUMENT',
    );
    expect(codeOf(() => rs.randint(-1, 3, { dtype: 'uint32' }))).toBe(
      'PYTHON_RANDOM_INVALID_ARGUMENT',
    );
    expect(codeOf(() => rs.normal(0, -1))).toBe('PYTHON_RANDOM_INVALID_ARGUMENT');
    expect(codeOf(() => rs.choice(3, { size: 4, replace: false }))).toBe(
      'PYTHON_RANDOM_INVALID_ARGUMENT',
    );
    expect(codeOf(() => rs.choice(3, { p: [0.5, 0.5, 0.5] }))).toBe(
      'PYTHON_RANDOM_INVALID_ARGUMENT',
    );
    expect(codeOf(() => rs.choice([]))).toBe('PYTHON_RANDOM_EMPTY_POPULATION');
    expect(codeOf(() => rs.randomSample([2, -1]))).toBe('PYTHON_RANDOM_INVALID_ARGUMENT');
    const good = rs.getState();
    expect(codeOf(() => rs.setState(['PCG64', good[1], 0]))).toBe('PYTHON_RANDOM_INVALID_STATE');
    expect(codeOf(() => rs.setState(['MT19937', good[1].slice(1), 0]))).toBe(
      'PYTHON_RANDOM_INVALID_STATE',
    );
    expect(codeOf(() => rs.setState(['MT19937', good[1], 625]))).toBe(
      'PYTHON_RANDOM_INVALID_STATE',
    );
    expect(rs.getState()).toEqual(good);
  });
});
