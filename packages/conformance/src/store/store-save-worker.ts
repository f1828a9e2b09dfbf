/*
 * Child process of describeCheckpointStore's kill and race checks. It builds the fixture from
 * its module, says `ready`, waits for `go` on stdin, then saves checkpoint `version` with
 * core/node's writeCheckpoint, printing `stage <name>` at every stage. At the stage named
 * `pauseAt` it prints `paused <name>` and stops there until the parent kills it: the parent knows
 * where the save is from what the child says, never from a clock.
 *
 *   node --conditions=@reprokit/source --import tsx store-save-worker.ts <module URL> <export> <entry path> <version> <pauseAt or -> <usual|alternate>
 */
import { createInterface } from 'node:readline';
import { ReprokitError } from '@reprokit/core';
import { type SaveStage, writeCheckpoint } from '@reprokit/core/node';
import type { CheckpointStoreFixture } from './checkpoint-store-fixture.js';

const [moduleUrl, exportName, entryPath, versionText, pauseAt, optionsKind] = process.argv.slice(2);
if (moduleUrl === undefined || exportName === undefined || entryPath === undefined) {
  console.error(
    'usage: store-save-worker.ts <module URL> <export> <entry path> <version> <pauseAt>',
  );
  process.exit(2);
}
const module = (await import(moduleUrl)) as Record<string, () => CheckpointStoreFixture>;
const makeFixture = module[exportName];
if (typeof makeFixture !== 'function') {
  console.error(`${moduleUrl} has no export ${exportName}`);
  process.exit(2);
}
const fixture = makeFixture();
const checkpoint = fixture.checkpoint(Number(versionText));
const options =
  optionsKind === 'alternate' && fixture.alternateWriteOptions !== undefined
    ? fixture.alternateWriteOptions(checkpoint)
    : fixture.writeOptions(checkpoint);
const say = (line: string) => process.stdout.write(`${line}\n`);
say('ready');

const lines = createInterface({ input: process.stdin });
lines.once('line', () => {
  writeCheckpoint(fixture.store, checkpoint, entryPath, {
    ...options,
    onStage: async (stage: SaveStage) => {
      say(`stage ${stage}`);
      if (stage === pauseAt) {
        say(`paused ${stage}`);
        await new Promise(() => {}); // until SIGKILL; stdin keeps the process alive
      }
    },
  }).then(
    () => {
      process.stdout.write('saved\n', () => process.exit(0));
    },
    (error: unknown) => {
      console.error(error);
      process.stdout.write(
        `failed ${ReprokitError.isInstance(error) ? error.code : 'UNTYPED'}\n`,
        () => process.exit(1),
      );
    },
  );
});
