import { ReprokitError } from '@reprokit/core';
import h5wasm from 'h5wasm';
import { describe, expect, it } from 'vitest';
import { inspectKeras, readKeras } from '../../src/index.js';
import { FIXTURE_NAMES, fixtureBytes } from '../helpers/fixtures.js';
import { malformedKerasCorpus } from './malformed-keras-corpus.js';

const fixtures = new Map(FIXTURE_NAMES.map((name) => [name, fixtureBytes(name)]));
const SEED = Number(process.env.REPROKIT_FUZZ_SEED ?? 20240601);
const COUNT = Number(process.env.REPROKIT_FUZZ_COUNT ?? 400);

describe(`malformed Keras files (seed ${SEED}, ${COUNT} cases): only typed errors come out`, () => {
  it('readKeras and inspectKeras return a checkpoint or throw a ReprokitError, and the heap stays released', async () => {
    const module = await h5wasm.ready;
    const outcomes = new Map<string, number>();
    const untyped: string[] = [];
    const heapBefore = module.HEAPU8.length;
    for (const item of malformedKerasCorpus(fixtures, { seed: SEED, count: COUNT })) {
      for (const read of [readKeras, inspectKeras]) {
        try {
          await read(item.bytes, { name: item.name });
          outcomes.set('read', (outcomes.get('read') ?? 0) + 1);
        } catch (error) {
          if (ReprokitError.isInstance(error)) {
            const code = (error as ReprokitError).code;
            outcomes.set(code, (outcomes.get(code) ?? 0) + 1);
          } else {
            untyped.push(`${item.name}: ${String(error)}`);
          }
        }
      }
    }
    expect(untyped).toEqual([]);
    // The corpus really exercises the error paths, not only lucky reads.
    expect([...outcomes.keys()].filter((key) => key !== 'read').length).toBeGreaterThan(3);
    expect(
      module.FS.readdir('/tmp').filter((name: string) => name.startsWith('reprokit-')),
    ).toEqual([]);
    // A malformed file may make HDF5 allocate, but never more than a few blocks of heap.
    expect(module.HEAPU8.length - heapBefore).toBeLessThan(64 << 20);
    console.log(Object.fromEntries([...outcomes].sort()));
  }, 600_000);

  it('a damaged global heap collection, which hangs h5py (HDF5 1.10) and HDF5 2.0, gives a typed error', async () => {
    // Found by this corpus (seed 1, case 159): the keras_version attribute's variable-length
    // string points into a collection whose free-space object has size 0.
    const bytes = fixtureBytes('qkeras-qdense.h5').slice();
    bytes.copyWithin(2104, 3696, 3696 + 181);
    await expect(readKeras(bytes)).rejects.toMatchObject({
      code: 'KERAS_INVALID_HDF5',
      h5Path: '/',
    });
  });

  it('the corpus is the same for the same seed', () => {
    const names = (seed: number) =>
      [...malformedKerasCorpus(fixtures, { seed, count: 20 })].map((item) => item.name);
    expect(names(7)).toEqual(names(7));
    expect(names(7)).not.toEqual(names(8));
  });
});
