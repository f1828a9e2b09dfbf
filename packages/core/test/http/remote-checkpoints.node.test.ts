/*
 * Checkpoints on an HTTP server (nginx from Debian, on loopback), read through the stores: a
 * single file and a sharded checkpoint by URL, headers only for inspect, and the typed error
 * for a missing shard naming its URL.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { useNginx } from '@reprokit/http-test-servers/vitest';
import { describe, expect, it } from 'vitest';
import {
  createCheckpoint,
  fingerprint,
  fromTypedArray,
  inspectCheckpoint,
  openSafetensors,
  readCheckpoint,
} from '../../src/index.js';
import {
  readSafetensors,
  writeSafetensors,
  writeShardedSafetensors,
} from '../../src/node/index.js';

const nginx = useNginx();

/** Eight 256 KiB tensors, 2 MiB in all, different values per tensor. */
const checkpoint = createCheckpoint(
  Array.from({ length: 8 }, (_, layer) => [
    `model.layers.${layer}.weight`,
    fromTypedArray(
      'F32',
      [256, 256],
      Float32Array.from({ length: 65_536 }, (_, index) => ((index * 31 + layer * 7) % 997) / 13),
    ),
  ]),
  [['format', 'pt']],
);
const tensorBytes = 8 * 256 * 1024;

describe('checkpoints on an HTTP server', () => {
  it('reads a single file and a sharded checkpoint by URL, the same weights', async () => {
    await writeSafetensors(checkpoint, join(nginx.root, 'single.safetensors'));
    await writeShardedSafetensors(checkpoint, join(nginx.root, 'sharded'), {
      maxShardSize: 600 * 1024,
    });
    const expected = fingerprint(checkpoint);
    expect(fingerprint(await readCheckpoint(`${nginx.url}/single.safetensors`))).toBe(expected);
    expect(
      fingerprint(
        await readCheckpoint(new URL(`${nginx.url}/sharded/model.safetensors.index.json`)),
      ),
    ).toBe(expected);
    // The Node entry's readSafetensors takes URLs too.
    expect(
      fingerprint(await readSafetensors(`${nginx.url}/sharded/model.safetensors.index.json`)),
    ).toBe(expected);
  });

  it('inspects a sharded checkpoint from its headers alone', async () => {
    await writeShardedSafetensors(checkpoint, join(nginx.root, 'inspect'), {
      maxShardSize: 600 * 1024,
    });
    await nginx.clearAccessLog();
    const summary = await inspectCheckpoint(`${nginx.url}/inspect/model.safetensors.index.json`);
    expect(summary.format).toBe('safetensors-sharded');
    expect(summary.tensors.map((tensor) => tensor.name).sort()).toEqual(
      [...checkpoint.tensors.keys()].sort(),
    );
    const log = await nginx.waitForAccessLog(1 + summary.files.length - 1);
    const sent = log.reduce((sum, entry) => sum + entry.bytesSent, 0);
    // One opening request per file (index + 4 shards), each at most the 64,000-byte probe plus
    // HTTP headers: far less than the 2 MiB of tensors.
    expect(log.length).toBe(summary.files.length);
    expect(sent).toBeLessThan(summary.files.length * 65_000);
    expect(sent).toBeLessThan(tensorBytes / 4);
  });

  it('reads one tensor by range from a URL', async () => {
    await writeSafetensors(checkpoint, join(nginx.root, 'lazy.safetensors'));
    const file = await openSafetensors(`${nginx.url}/lazy.safetensors`);
    try {
      const tensor = await file.readTensor('model.layers.5.weight');
      expect(tensor.data).toEqual(checkpoint.tensors.get('model.layers.5.weight')!.data);
    } finally {
      await file.close();
    }
  });

  it('names the URL of a missing shard', async () => {
    await writeShardedSafetensors(checkpoint, join(nginx.root, 'broken'), {
      maxShardSize: 600 * 1024,
    });
    await rm(join(nginx.root, 'broken', 'model-00002-of-00004.safetensors'));
    const error = await readCheckpoint(`${nginx.url}/broken/model.safetensors.index.json`).then(
      () => undefined,
      (caught: unknown) => caught as { code: string; file: string; message: string },
    );
    expect(error?.code).toBe('SOURCE_HTTP_STATUS');
    expect(error?.file).toBe(`${nginx.url}/broken/model-00002-of-00004.safetensors`);
    expect(error?.message).toContain('404');
  });
});
