/*
 * The CLI on Keras files (`.h5`, `.weights.h5`) and on checkpoints served over HTTP by nginx
 * (Debian's, started here on a loopback port): the format is told from the content, `inspect`
 * of a URL reads headers only, and the other commands read by range.
 */
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fingerprint } from '@reprokit/core';
import { writeSafetensors, writeShardedSafetensors } from '@reprokit/core/node';
import { useNginx } from '@reprokit/http-test-servers/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli, runBuiltCli } from './built-cli.js';
import { denseCheckpoint, temporaryFolder } from './fixtures.js';

let folder: { path: string; cleanup: () => Promise<void> };
const nginx = useNginx();
const file = (name: string) => join(folder.path, name);

beforeAll(async () => {
  requireBuiltCli();
  folder = await temporaryFolder();
  await writeSafetensors(denseCheckpoint(), file('dense.safetensors'));
}, 120_000);
afterAll(async () => {
  await folder?.cleanup();
});

describe('Keras files', () => {
  it.each(['test.h5', 'model.weights.h5'])(
    'convert to %s and back keeps the fingerprint; inspect tells the format from the content',
    async (name) => {
      const out = file(name);
      expect(await runBuiltCli(['convert', file('dense.safetensors'), out])).toMatchObject({
        code: 0,
      });
      // A misleading name: the content decides.
      const renamed = file(`${name}.bin`);
      await copyFile(out, renamed);
      const inspect = JSON.parse((await runBuiltCli(['inspect', renamed, '--json'])).stdout);
      expect(inspect.format).toBe('keras');
      expect(inspect.tensors.map((tensor: { name: string }) => tensor.name).sort()).toEqual([
        'dense/bias',
        'dense/kernel',
      ]);
      const back = file(`${name}.safetensors`);
      expect(await runBuiltCli(['convert', out, back])).toMatchObject({ code: 0 });
      const printed = (await runBuiltCli(['fingerprint', back])).stdout.trim();
      expect(printed).toBe(fingerprint(denseCheckpoint()));
      expect((await runBuiltCli(['diff', file('dense.safetensors'), out])).code).toBe(0);
    },
    120_000,
  );

  it('refuses a file that is not any checkpoint, naming what it looks like', async () => {
    await writeFile(file('notes.h5'), 'PK\u0003\u0004 not really a zip');
    const run = await runBuiltCli(['inspect', file('notes.h5')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('zip archive');
    expect(run.stderr).toContain(
      'tried: safetensors-sharded, safetensors, keras, tfjs-artifacts, onnx',
    );
  });
});

describe('checkpoints on an HTTP server', () => {
  it('inspect of a sharded checkpoint by URL reads headers only; fingerprint, diff and convert read by range', async () => {
    const big = denseCheckpoint();
    await writeShardedSafetensors(big, join(nginx.root, 'remote'), { maxShardSize: 16 });
    const url = `${nginx.url}/remote/model.safetensors.index.json`;
    await nginx.clearAccessLog();
    const inspect = await runBuiltCli(['inspect', url, '--json']);
    expect(inspect).toMatchObject({ code: 0, stderr: '' });
    const document = JSON.parse(inspect.stdout);
    expect(document.format).toBe('safetensors-sharded');
    expect(document.fingerprint).toBeNull();
    const log = await nginx.waitForAccessLog(document.files.length);
    expect(log).toHaveLength(document.files.length); // one request per file
    expect((await runBuiltCli(['fingerprint', url])).stdout.trim()).toBe(fingerprint(big));
    expect((await runBuiltCli(['diff', url, file('dense.safetensors')])).code).toBe(0);
    const local = file('from-url.safetensors');
    expect(await runBuiltCli(['convert', url, local])).toMatchObject({ code: 0 });
    expect((await runBuiltCli(['fingerprint', local])).stdout.trim()).toBe(fingerprint(big));
  }, 120_000);

  it('names the URL of a file the server does not have', async () => {
    const run = await runBuiltCli(['inspect', `${nginx.url}/nothing-here.safetensors`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${nginx.url}/nothing-here.safetensors`);
    expect(run.stderr).toContain('404');
  });
});
