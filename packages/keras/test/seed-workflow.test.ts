import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedEverything } from '@reprokit/core';
import { tfjsCheckpoint, tfjsSeedControl } from '@reprokit/tfjs';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readKerasWeightsFile, writeKerasWeightsFile } from '../src/node/index.js';
import { h5pyMissing, runPython } from './helpers/python.js';

const missing = h5pyMissing();
const work = mkdtempSync(join(tmpdir(), 'reprokit-keras-seed-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const build = () => tf.sequential({ layers: [tf.layers.dense({ units: 5, inputDim: 1 })] });

async function weightsOf(model: tf.LayersModel): Promise<number[][]> {
  return Promise.all(model.getWeights().map(async (weight) => Array.from(await weight.data())));
}

describe("the seed's workflow: fix the seeds, save_weights('test.h5'), load_weights into a second model", () => {
  it('a second model loads test.h5 and has the same weights', async () => {
    const path = join(work, 'test.h5');
    const scope = seedEverything(42, { controls: [tfjsSeedControl(tf)] });
    const model = build();
    await writeKerasWeightsFile(path, await tfjsCheckpoint(tf).read(model));

    const model2 = build(); // other initial weights (the seeded stream moved on)
    expect(await weightsOf(model2)).not.toEqual(await weightsOf(model));
    await tfjsCheckpoint(tf).write(model2, await readKerasWeightsFile(path));
    expect(await weightsOf(model2)).toEqual(await weightsOf(model));
    scope.release();
    const [kernel, bias] = await weightsOf(model);
    writeFileSync(join(work, 'expected.json'), JSON.stringify({ kernel: [kernel], bias }));
    model.dispose();
    model2.dispose();
  });

  it.skipIf(missing !== undefined)(
    `h5py reads test.h5 and finds the same numbers (${missing ?? '/usr/bin/python3, h5py'})`,
    () => {
      const path = join(work, 'test.h5');
      const expected = join(work, 'expected.json');
      const { status, output } = runPython<{
        ok: boolean;
        checks: Record<string, boolean>;
        hdf5: string;
      }>('check_seed_workflow.py', [path, expected]);
      expect(output.checks).toEqual(
        Object.fromEntries(Object.keys(output.checks).map((key) => [key, true])),
      );
      expect(status).toBe(0);
      // Debian bookworm's h5py is built on HDF5 1.10: the file's version bounds must suit it.
      expect(output.hdf5).toMatch(/^1\.(8|10|12|14)\./);
    },
  );

  it('the same seed gives the same test.h5, byte for byte', async () => {
    const save = async (name: string) => {
      const scope = seedEverything(7, { controls: [tfjsSeedControl(tf)] });
      const model = build();
      await writeKerasWeightsFile(join(work, name), await tfjsCheckpoint(tf).read(model));
      scope.release();
      model.dispose();
      return new Uint8Array(
        await import('node:fs/promises').then((fs) => fs.readFile(join(work, name))),
      );
    };
    expect(Buffer.from(await save('a.h5')).equals(Buffer.from(await save('b.h5')))).toBe(true);
  });
});
