import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCheckpoint, fromTypedArray, ReprokitError } from '@reprokit/core';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectKeras, kerasFormatOfPath } from '../index.js';
import { readKerasWeightsFile, writeKerasWeightsFile } from './index.js';

const work = mkdtempSync(join(tmpdir(), 'reprokit-keras-node-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const checkpoint = createCheckpoint([
  ['dense/kernel', fromTypedArray('F32', [2, 3], [1, 2, 3, 4, 5, 6])],
  ['dense/bias', fromTypedArray('F32', [3], [0.5, -0.5, 0.25])],
]);

describe('Keras weights files on disk', () => {
  it('picks the format from the file name, as Keras does', () => {
    expect(['a.h5', 'a.weights.h5', 'a.keras', 'a.hdf5'].map(kerasFormatOfPath)).toEqual([
      'keras2-h5',
      'keras3-weights-h5',
      'keras-zip',
      'keras2-h5',
    ]);
  });

  it.each(['model.h5', 'model.weights.h5'])(
    '%s: written atomically and read back exactly',
    async (name) => {
      const path = join(work, name);
      await writeKerasWeightsFile(path, checkpoint);
      const back = await readKerasWeightsFile(path);
      expect([...back.tensors.keys()].sort()).toEqual(['dense/bias', 'dense/kernel']);
      expect(back.tensors.get('dense/kernel')!.data).toEqual(
        checkpoint.tensors.get('dense/kernel')!.data,
      );
      const { format } = await inspectKeras(
        new Uint8Array(await import('node:fs/promises').then((fs) => fs.readFile(path))),
      );
      expect(format).toBe(kerasFormatOfPath(name));
      // No temporary file is left beside it.
      expect(readdirSync(work).filter((file) => file.includes('reprokit-tmp'))).toEqual([]);
    },
  );

  it('does not replace an existing file with { overwrite: false }, and names the path in errors', async () => {
    const path = join(work, 'kept.h5');
    writeFileSync(path, 'old');
    await expect(
      writeKerasWeightsFile(path, checkpoint, { overwrite: false }),
    ).rejects.toMatchObject({
      code: 'IO_TARGET_EXISTS',
    });
    const error = await readKerasWeightsFile(path).catch((caught: unknown) => caught);
    expect(ReprokitError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'KERAS_NOT_KERAS_FILE', file: path });
    const missing = await readKerasWeightsFile(join(work, 'nope.h5')).catch(
      (caught: unknown) => caught,
    );
    expect(ReprokitError.isInstance(missing)).toBe(true);
  });
});
