/**
 * The generator seed controls of core's python-random area through the seed-control contract.
 * They patch nothing global, so the release checks do not apply; with `seedFrom: 'root'` (their
 * default) they are seeded with the root as Python is, not with deriveSeed, so that check runs
 * on the `'derived'` variant only.
 */
import type { SeedControl } from '@reprokit/core';
import {
  type GeneratorSeedControl,
  kerasInitialize,
  numpyRandomState,
  numpyRandomStateSeedControl,
  pythonRandom,
  pythonRandomSeedControl,
  tensorflowRandom,
  tensorflowRandomSeedControl,
} from '@reprokit/core/python';
import { describeSeedControl } from './describe-seed-control.js';

const noRelease = {
  release: false,
  reasons: {
    release:
      'a generator control patches nothing global: the generator object is the source, and it keeps its state after the scope',
  },
} as const;

const variants = [
  {
    name: 'python-random',
    make: (seedFrom: 'root' | 'derived') => pythonRandomSeedControl(pythonRandom(0), { seedFrom }),
    draw: (control: SeedControl) => {
      const py = (control as GeneratorSeedControl<ReturnType<typeof pythonRandom>>).generator;
      return [py.random(), py.gauss(), py.randint(0, 1000)];
    },
  },
  {
    name: 'numpy',
    make: (seedFrom: 'root' | 'derived') =>
      numpyRandomStateSeedControl(numpyRandomState(0), { seedFrom }),
    draw: (control: SeedControl) => {
      const np = (control as GeneratorSeedControl<ReturnType<typeof numpyRandomState>>).generator;
      return [np.rand(), np.randn(), np.randint(0, 1000)];
    },
  },
  {
    name: 'tensorflow',
    make: (seedFrom: 'root' | 'derived') =>
      tensorflowRandomSeedControl(tensorflowRandom({ seed: null }), { seedFrom }),
    draw: (control: SeedControl) => {
      const tfr = (control as GeneratorSeedControl<ReturnType<typeof tensorflowRandom>>).generator;
      return [...kerasInitialize(tfr, 'glorot_uniform', [1, 2]), ...tfr.uniform([1], { seed: 3 })];
    },
  },
];

for (const variant of variants) {
  describeSeedControl(
    `${variant.name} (seedFrom: 'derived')`,
    () => ({ control: variant.make('derived'), draw: variant.draw }),
    noRelease,
  );
  describeSeedControl(
    `${variant.name} (seedFrom: 'root')`,
    () => ({ control: variant.make('root'), draw: variant.draw }),
    {
      ...noRelease,
      skip: {
        'seed-everything-derives-seed':
          "seedFrom: 'root' seeds with the root as it is (Python's numbers for that root); the 'derived' variant runs this check",
      },
    },
  );
}
