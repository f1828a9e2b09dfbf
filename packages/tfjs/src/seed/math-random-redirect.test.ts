import { describe, expect, it } from 'vitest';
import { MathRandomRedirect } from './math-random-redirect.js';

describe('MathRandomRedirect', () => {
  it('answers from the given generator only inside, nested calls keep the outer one', () => {
    const native = Math.random;
    const redirect = new MathRandomRedirect();
    const seen = redirect.run(
      () => 0.125,
      () => {
        const inner = redirect.run(
          () => 0.5,
          () => Math.random(),
        );
        return [Math.random(), inner, redirect.active];
      },
    );
    expect(seen).toEqual([0.125, 0.125, true]);
    expect(Math.random).toBe(native);
    expect(redirect.active).toBe(false);
  });

  it('puts Math.random back when the wrapped call throws, and ignores a stray exit', () => {
    const native = Math.random;
    const redirect = new MathRandomRedirect();
    expect(() =>
      redirect.run(
        () => 0.75,
        () => {
          throw new Error('op failed');
        },
      ),
    ).toThrow('op failed');
    expect(Math.random).toBe(native);
    redirect.exit();
    expect(Math.random).toBe(native);
  });
});
