/*
 * Run by describe-checkpoint-store.test.ts in a child vitest with
 * REPROKIT_STORE_SUITE_SELF_TEST=1: the store suite on deliberately broken stores. In a normal
 * run this file registers one skipped test saying so. The kill and race checks are skipped here:
 * they test core's save protocol, which every store shares, and need child processes.
 */
import { describe, it } from 'vitest';
import { describeCheckpointStore } from '../store/describe-checkpoint-store.js';

const selfTest =
  (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env
    .REPROKIT_STORE_SUITE_SELF_TEST === '1';
const fixtures = new URL('./broken-stores.ts', import.meta.url);
const skip = {
  'kill-at-every-stage': 'tests the shared save protocol (self-test of the suite)',
  race: 'tests the shared save protocol (self-test of the suite)',
} as const;

if (selfTest) {
  for (const name of [
    'correctStore',
    'dropsATensor',
    'inspectReadsEverything',
    'detectsAnything',
    'untypedErrors',
    'encodesAnything',
  ]) {
    describeCheckpointStore(name, fixtures, name, { skip, fuzzRuns: 100 });
  }
} else {
  describe('broken stores', () => {
    it.skip('run only by describe-checkpoint-store.test.ts (REPROKIT_STORE_SUITE_SELF_TEST=1)', () => {});
  });
}
