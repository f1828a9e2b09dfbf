import { afterEach, describe, expect, it } from 'vitest';
import { ReprokitError } from '../errors/index.js';
import { currentSeedScope, restoreSeeds, seedEverything } from '../seed/index.js';
import { kerasInitialize } from './keras-initializers.js';
import { numpyRandomState } from './numpy-random-state.js';
import { pythonRandom } from './python-random.js';
import {
  numpyRandomStateSeedControl,
  pythonRandomSeedControl,
  tensorflowRandomSeedControl,
} from './python-random-seed-controls.js';
import { tensorflowRandom } from './tensorflow-random.js';

afterEach(() => currentSeedScope()?.release());

const controlsFor = () => {
  const py = pythonRandom(0);
  const np = numpyRandomState(0);
  const tfr = tensorflowRandom({ seed: null });
  return {
    py,
    np,
    tfr,
    controls: [
      pythonRandomSeedControl(py),
      numpyRandomStateSeedControl(np),
      tensorflowRandomSeedControl(tfr),
    ],
  };
};

describe('generator seed controls under seedEverything', () => {
  it("seedFrom: 'derived' gives independent streams that are not Python's for that root", () => {
    const a = pythonRandom(0);
    const b = pythonRandom(0);
    seedEverything(42, {
      controls: [
        pythonRandomSeedControl(a, { name: 'py-a', seedFrom: 'derived' }),
        pythonRandomSeedControl(b, { name: 'py-b', seedFrom: 'derived' }),
      ],
    });
    const first = a.random();
    expect(first).not.toBe(b.random());
    expect(first).not.toBe(pythonRandom(42).random());
  });

  it('a snapshot restored in a new scope continues all three exactly', () => {
    const run = controlsFor();
    const scope = seedEverything(7, { controls: run.controls });
    run.py.random();
    run.np.randn(3);
    kerasInitialize(run.tfr, 'glorot_uniform', [3, 4]);
    const saved = JSON.parse(JSON.stringify(scope.snapshot()));
    const expected = [
      run.py.random(),
      run.np.randn(),
      ...kerasInitialize(run.tfr, 'he_normal', [2, 2]),
    ];
    scope.release();

    const resumed = controlsFor();
    restoreSeeds(saved, { controls: resumed.controls });
    expect([
      resumed.py.random(),
      resumed.np.randn(),
      ...kerasInitialize(resumed.tfr, 'he_normal', [2, 2]),
    ]).toEqual(expected);
  });

  it('refuses a NumPy seed from a string root, and a corrupt state, with typed errors', () => {
    const { controls } = controlsFor();
    let error: unknown;
    try {
      seedEverything('run-a', { controls });
    } catch (caught) {
      error = caught;
    }
    expect(ReprokitError.isInstance(error)).toBe(true);
    expect((error as ReprokitError).code).toBe('SEED_CONTROL_FAILED');
    const py = pythonRandomSeedControl(pythonRandom(1));
    expect(() => py.restore({ not: 'a state' })).toThrow(ReprokitError);
  });
});
