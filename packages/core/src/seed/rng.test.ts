import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { ReprokitError } from '../errors/index.js';
import { deriveSeed } from './derive-seed.js';
import { createRng, type RngState, restoreRng } from './rng.js';

describe('createRng', () => {
  it('pins the first outputs for seed 42 (Tyche-i, seedrandom 3.0.5)', () => {
    const rng = createRng(42);
    expect([rng.nextUint32(), rng.nextUint32(), rng.nextUint32()]).toEqual([
      3677860782, 1779580415, 3049400790,
    ]);
    expect(rng.next()).toBe(0.4259274676647836);
    expect(rng.state()).toEqual({
      algorithm: 'tychei',
      a: 11857266,
      b: 1427889819,
      c: 1675527083,
      d: 2092740563,
    });
  });

  it('steps exactly like seedrandom.tychei (uint32 = its int32 output; next = two outputs)', () => {
    for (const seed of [0, 1, 1234, 0x7fffffff, 0x80000000, 0xffffffff]) {
      const reference = seedrandom.tychei(seed as unknown as string, { state: true });
      const rng = createRng(seed);
      expect(rng.state()).toEqual({ algorithm: 'tychei', ...reference.state() });
      let mismatches = 0;
      for (let i = 0; i < 10_000; i++)
        if (rng.nextUint32() !== reference.int32() >>> 0) mismatches++;
      expect(mismatches).toBe(0);
      const high = reference.int32() >>> 5;
      const low = reference.int32() >>> 6;
      expect(rng.next()).toBe((high * 2 ** 26 + low) / 2 ** 53);
      // A restored generator steps like seedrandom restored from the same words.
      const { algorithm: _, ...words } = rng.state();
      const restoredReference = seedrandom.tychei('', { state: words });
      const restored = restoreRng(rng.state());
      for (let i = 0; i < 1000; i++) {
        if (restored.nextUint32() !== restoredReference.int32() >>> 0) mismatches++;
      }
      expect(mismatches).toBe(0);
    }
  });

  it('hashes a string seed with deriveSeed', () => {
    const fromString = createRng('experiment-1');
    const fromNumber = createRng(deriveSeed('experiment-1'));
    expect([fromString.next(), fromString.next()]).toEqual([fromNumber.next(), fromNumber.next()]);
  });

  it('draws floats in [0, 1) with more than 32 bits and a plausible mean', () => {
    const rng = createRng(9);
    let sum = 0;
    let finerThan32Bits = 0;
    let outOfRange = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = rng.next();
      if (!(x >= 0 && x < 1)) outOfRange++;
      sum += x;
      if (!Number.isInteger(x * 2 ** 32)) finerThan32Bits++;
    }
    expect(outOfRange).toBe(0);
    expect(Math.abs(sum / 100_000 - 0.5)).toBeLessThan(0.01);
    expect(finerThan32Bits).toBeGreaterThan(99_000);
  });

  it('gives different streams for different seeds, including 0 and 2^32-1', () => {
    const firsts = [0, 1, 2, 42, 0xffffffff].map((seed) => createRng(seed).nextUint32());
    expect(new Set(firsts).size).toBe(5);
  });

  it('rejects bad seeds with SEED_INVALID', () => {
    for (const seed of [-1, 0.5, Number.NaN, 2 ** 32, '']) {
      expect(() => createRng(seed)).toThrow(/SEED|seed must be/);
      try {
        createRng(seed);
      } catch (error) {
        expect((error as ReprokitError).code).toBe('SEED_INVALID');
      }
    }
  });
});

describe('restoreRng', () => {
  it('continues bitwise-equal after the state goes through JSON, at many points', () => {
    const rng = createRng(77);
    for (let k = 0; k < 50; k++) {
      for (let i = 0; i < k * 7; i++) rng.next();
      const copy = restoreRng(JSON.parse(JSON.stringify(rng.state())) as RngState);
      for (let i = 0; i < 20; i++) {
        expect(Object.is(copy.next(), rng.next())).toBe(true);
        expect(copy.nextUint32()).toBe(rng.nextUint32());
      }
    }
  });

  it('does not share state with the generator it was restored from', () => {
    const rng = createRng(5);
    const copy = restoreRng(rng.state());
    const expected = copy.nextUint32();
    rng.nextUint32();
    rng.nextUint32();
    expect(restoreRng(rng.state()).nextUint32()).not.toBe(expected);
    expect(copy.state()).not.toEqual(rng.state());
  });

  const good = createRng(3).state();
  it.each([
    [null, 'expected an object'],
    ['tychei', 'expected an object'],
    [[1, 2, 3, 4], 'expected an object'],
    [{ ...good, algorithm: 'alea' }, 'algorithm must be "tychei"'],
    [{ ...good, a: 1.5 }, 'field "a" must be a signed 32-bit integer'],
    [{ ...good, b: 2 ** 31 }, 'field "b" must be a signed 32-bit integer'],
    [{ ...good, c: '12' }, 'field "c" must be a signed 32-bit integer'],
    [{ algorithm: 'tychei', a: 1, b: 2, c: 3 }, 'field "d" must be a signed 32-bit integer'],
    [{ ...good, extra: 1 }, 'unexpected field "extra"'],
    [{ algorithm: 'tychei', a: 0, b: 0, c: 0, d: 0 }, 'all four words are zero'],
  ])('rejects the corrupted state %j with SEED_INVALID_STATE', (state, problem) => {
    let error: unknown;
    try {
      restoreRng(state as unknown as RngState);
    } catch (caught) {
      error = caught;
    }
    expect(ReprokitError.isInstance(error)).toBe(true);
    expect((error as ReprokitError).code).toBe('SEED_INVALID_STATE');
    expect((error as Error).message).toContain(problem);
  });
});
