import { describe, expect, it } from 'vitest';
import { Mt19937 } from './mt19937.js';

describe('Mt19937', () => {
  it('matches the reference outputs of mt19937ar (init_by_array and init_genrand)', () => {
    const byArray = Mt19937.fromKey([0x123, 0x234, 0x345, 0x456]);
    expect(Array.from({ length: 5 }, () => byArray.nextUint32())).toEqual([
      1067595299, 955945823, 477289528, 4107218783, 4228976476,
    ]);
    // The 1000th output of the reference test (mt19937ar.out's last integer).
    for (let i = 5; i < 999; i++) byArray.nextUint32();
    expect(byArray.nextUint32()).toBe(3460025646);
    expect(Mt19937.fromSeed(5489).nextUint32()).toBe(3499211612);
  });

  it('twists the same in WebAssembly and in JavaScript (the fallback)', () => {
    const wasm = new Mt19937();
    const js = new Mt19937({ wasm: false });
    expect(wasm.usesWasm).toBe(true); // Node has WebAssembly
    expect(js.usesWasm).toBe(false);
    wasm.seedByArray([1, 2, 3, 0xffffffff]);
    js.seedByArray([1, 2, 3, 0xffffffff]);
    for (let twist = 0; twist < 50; twist++) {
      wasm.twist();
      js.twist();
      expect(wasm.words).toEqual(js.words);
      expect(wasm.outputs).toEqual(js.outputs);
    }
    const copy = wasm.clone();
    expect(copy.usesWasm).toBe(true);
    expect(copy.nextDouble()).toBe(js.nextDouble());
  });
});
