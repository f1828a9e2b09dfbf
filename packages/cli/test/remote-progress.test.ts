/*
 * Progress of a long remote read: for a sharded checkpoint served by nginx (Debian's, on
 * loopback) the bar's total is every file's bytes (the index and each shard), not the size of
 * the small index, and the bytes reported during the read add up to exactly that total.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fingerprint } from '@reprokit/core';
import { writeSafetensors, writeShardedSafetensors } from '@reprokit/core/node';
import { useNginx } from '@reprokit/http-test-servers/vitest';
import { describe, expect, it } from 'vitest';
import { openInput } from '../src/formats/open-input.js';
import { readWeights } from '../src/formats/read-weights.js';
import type { ProgressReporter } from '../src/progress/progress-reporter.js';
import { denseCheckpoint } from './fixtures.js';

const nginx = useNginx();

/** Records each phase with its total and the steps advanced while it was current. */
function recordingProgress() {
  const phases: Array<{ label: string; total: number; advanced: number }> = [];
  const reporter: ProgressReporter = {
    phase(label, total) {
      phases.push({ label, total, advanced: 0 });
    },
    advance(steps = 1) {
      const current = phases.at(-1);
      if (current !== undefined) current.advanced += steps;
    },
    finish() {},
  };
  return { reporter, phases };
}

describe('progress of remote reads', () => {
  it('a sharded checkpoint: the total is the index plus every shard, and is reached exactly', async () => {
    const checkpoint = denseCheckpoint();
    const folder = join(nginx.root, 'sharded');
    await writeShardedSafetensors(checkpoint, folder, { maxShardSize: 16 });
    const url = `${nginx.url}/sharded/model.safetensors.index.json`;
    const { reporter, phases } = recordingProgress();
    const input = await openInput(url, reporter);
    try {
      const read = await readWeights(input, reporter);
      expect(fingerprint(read)).toBe(fingerprint(checkpoint));
    } finally {
      await input.close();
    }
    const names = await readdir(folder);
    const shards = names.filter((name) => name.endsWith('.safetensors'));
    expect(shards.length).toBeGreaterThan(1);
    let bytes = 0;
    for (const name of names) bytes += (await stat(join(folder, name))).size;
    const phase = phases.find((entry) => entry.label === `read ${url}`)!;
    expect(phase.total).toBe(bytes);
    expect(phase.advanced).toBe(bytes);
  });

  it('a single file: the total is its size, and is reached exactly', async () => {
    const path = join(nginx.root, 'single.safetensors');
    await writeSafetensors(denseCheckpoint(), path);
    const url = `${nginx.url}/single.safetensors`;
    const { reporter, phases } = recordingProgress();
    const input = await openInput(url, reporter);
    try {
      await readWeights(input, reporter);
    } finally {
      await input.close();
    }
    const size = (await stat(path)).size;
    const phase = phases.find((entry) => entry.label === `read ${url}`)!;
    expect(phase).toMatchObject({ total: size, advanced: size });
  });
});
