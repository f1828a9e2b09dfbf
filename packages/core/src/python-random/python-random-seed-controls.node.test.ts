import { afterEach, describe, expect, it } from 'vitest';
import { currentSeedScope, seedEverything } from '../seed/index.js';
import { numpyRandomState } from './numpy-random-state.js';
import { HAS_NUMPY, runPython } from './python-oracle.test-helper.js';
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

describe('generator seed controls against Python', () => {
  it.skipIf(!HAS_NUMPY)(
    'seedEverything(42) seeds them with 42 as it is, like keras.utils.set_random_seed(42) (skipped without NumPy)',
    () => {
      const expected = runPython<{ py: number; np: number }>(`
import random, numpy as np
random.seed(42); np.random.seed(42)
emit({'py': random.random(), 'np': np.random.rand()})`);
      const { py, np, tfr, controls } = controlsFor();
      seedEverything(42, { controls });
      expect(py.random()).toBe(expected.py);
      expect(np.rand()).toBe(expected.np);
      expect(tfr.getSeed()).toEqual(tensorflowRandom({ seed: 42 }).getSeed());
    },
  );
});
