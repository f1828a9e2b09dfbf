/**
 * globalSetup of the demo's chromium project: trains the demo's MLP in Node (a child process,
 * test/cross-environment/train-in-node.ts) and provides the digits and the fingerprints to the
 * page, so the page compares against values computed in this same run.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import type { NodeTraining } from './node-training.js';

export default async function setup(project: TestProject): Promise<void> {
  const script = fileURLToPath(new URL('./train-in-node.ts', import.meta.url));
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--conditions=@reprokit/source', '--import', 'tsx', script],
    { cwd: fileURLToPath(new URL('../..', import.meta.url)), maxBuffer: 64 * 1024 * 1024 },
  );
  project.provide('nodeTraining', JSON.parse(stdout) as NodeTraining);
}
