/*
 * Child process of the kill and concurrency tests. It builds both variants of a large
 * checkpoint up front, says `ready`, then waits for `go <variant>` on stdin and saves that
 * variant into the folder with the public API of the format under test. The parent kills it
 * with SIGKILL at a moment of its choosing, so nothing here may buffer or clean up.
 *
 *   node --conditions=@reprokit/source --import tsx save-worker.ts <format> <dir> <tensorCount> <tensorBytes> [longer]
 */
import { createInterface } from 'node:readline';
import { ReprokitError } from '@reprokit/core';
import { largeCheckpointPair } from '../fixtures/large-checkpoint.js';
import { isSaveFormat, saveFormatDriver } from './save-formats.js';

const [format, dir, countText, bytesText, longerText] = process.argv.slice(2);
if (format === undefined || !isSaveFormat(format) || dir === undefined) {
  console.error('usage: save-worker.ts <format> <dir> <tensorCount> <tensorBytes>');
  process.exit(2);
}
const spec = {
  tensorCount: Number(countText),
  tensorBytes: Number(bytesText),
  longerSecondMetadata: longerText === 'longer',
};
const [first, second] = largeCheckpointPair(spec);
const variants = new Map([
  [1, first],
  [2, second],
]);
const driver = await saveFormatDriver(format);
process.stdout.write('ready\n');

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const match = /^go (\d+)$/.exec(line.trim());
  const checkpoint = match === null ? undefined : variants.get(Number(match[1]));
  if (checkpoint === undefined) {
    console.error(`unexpected command ${JSON.stringify(line)}`);
    process.exit(2);
  }
  const started = performance.now();
  driver.save(checkpoint, dir).then(
    () => {
      process.stdout.write(`saved ${Math.round(performance.now() - started)}\n`, () =>
        process.exit(0),
      );
    },
    (error: unknown) => {
      console.error(error);
      const code = ReprokitError.isInstance(error) ? error.code : 'UNTYPED';
      process.stdout.write(`failed ${code}\n`, () => process.exit(1));
    },
  );
});
