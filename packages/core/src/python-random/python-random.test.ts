import { describe, expect, it } from 'vitest';
import { pythonRandom } from './python-random.js';
import { PythonRandomError } from './python-random-error.js';

describe('pythonRandom known values', () => {
  it('gives the values CPython 3.11 prints (pinned here so the browser run checks them too)', () => {
    const rng = pythonRandom(42);
    expect([rng.random(), rng.randint(1, 6)]).toEqual([0.6394267984578837, 1]);
    expect(pythonRandom(0).random()).toBe(0.8444218515250481);
    expect(pythonRandom(1).getrandbits(8)).toBe(34);
    expect(pythonRandom(5).randrange(10)).toBe(9);
    expect(pythonRandom(42).randint(1, 10)).toBe(2);
    expect(pythonRandom(42).choice(['a', 'b', 'c'])).toBe('c');
    const deck = [1, 2, 3, 4, 5];
    pythonRandom(42).shuffle(deck);
    expect(deck).toEqual([4, 2, 3, 5, 1]);
    expect(pythonRandom(42).sample([10, 20, 30, 40, 50], 2)).toEqual([10, 50]);
    expect(pythonRandom(42).uniform(1, 2)).toBe(1.6394267984578836);
    expect(pythonRandom(42).normalvariate()).toBe(0.2453263417078634);
  });
});

describe('pythonRandom errors', () => {
  it('refuses what Python refuses, with typed errors', () => {
    const rng = pythonRandom(1);
    const codeOf = (action: () => unknown) => {
      try {
        action();
      } catch (error) {
        expect(PythonRandomError.isInstance(error)).toBe(true);
        return (error as PythonRandomError).code;
      }
      return 'no error';
    };
    expect(codeOf(() => rng.randrange(0))).toBe('PYTHON_RANDOM_INVALID_ARGUMENT');
    expect(codeOf(() => rng.randrange(5, 5))).toBe('PYTHON_RANDOM_INVALID_ARGUMENT');
    expect(codeOf(() => rng.randrange(0, 10, 0))).toBe('PYTHON_RANDOM_INVALID_ARGUMENT');
    expect(codeOf(() => rng.randrange(1.5))).toBe('PYTHON_RANDOM_INVALID_ARGUMENT');
    expect(codeOf(() => rng.randint(3, 2))).toBe('PYTHON_RANDOM_INVALID_ARGUMENT');
    expect(codeOf(() => rng.choice([]))).toBe('PYTHON_RANDOM_EMPTY_POPULATION');
    expect(codeOf(() => rng.sample([1, 2], 3))).toBe('PYTHON_RANDOM_INVALID_ARGUMENT');
    expect(codeOf(() => rng.getrandbits(54))).toBe('PYTHON_RANDOM_INVALID_ARGUMENT');
    expect(codeOf(() => rng.getrandbits(-1))).toBe('PYTHON_RANDOM_INVALID_ARGUMENT');
    expect(codeOf(() => pythonRandom(Number.NaN))).toBe('PYTHON_RANDOM_INVALID_SEED');
    expect(codeOf(() => pythonRandom('\ud800x'))).toBe('PYTHON_RANDOM_INVALID_SEED');
    expect(codeOf(() => rng.setstate([3, [1, 2], null]))).toBe('PYTHON_RANDOM_INVALID_STATE');
    const good = rng.getstate();
    expect(codeOf(() => rng.setstate([3, [...good[1].slice(0, 624), 625], null]))).toBe(
      'PYTHON_RANDOM_INVALID_STATE',
    );
    expect(codeOf(() => rng.setstate([4, good[1], null]))).toBe('PYTHON_RANDOM_INVALID_STATE');
    // A refused state changes nothing.
    expect(rng.getstate()).toEqual(good);
  });

  it('accepts a Python 2 (version 2) state with signed words, as Python 3 does', () => {
    const rng = pythonRandom(5);
    const [, words] = rng.getstate();
    const signed = words.map((word, i) => (i < 624 && word >= 2 ** 31 ? word - 2 ** 32 : word));
    const copy = pythonRandom(0);
    copy.setstate([2, signed, null]);
    expect(copy.random()).toBe(rng.random());
  });
});
