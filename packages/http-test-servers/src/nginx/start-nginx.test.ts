import { existsSync } from 'node:fs';
import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startNginx } from './start-nginx.js';

const bytes = Uint8Array.from({ length: 100_000 }, (_, index) => (index * 31) & 0xff);

describe('startNginx', () => {
  it('serves byte ranges with ETag and Last-Modified, honours If-Range, logs bytes sent, and stops by pid', async () => {
    const nginx = await startNginx();
    let temp: string;
    try {
      await writeFile(join(nginx.root, 'data.bin'), bytes);
      const url = `${nginx.url}/data.bin`;
      const first = await fetch(url, { headers: { range: 'bytes=10-19' } });
      expect(first.status).toBe(206);
      expect(first.headers.get('content-range')).toBe('bytes 10-19/100000');
      expect(new Uint8Array(await first.arrayBuffer())).toEqual(bytes.subarray(10, 20));
      const etag = first.headers.get('etag')!;
      const lastModified = first.headers.get('last-modified')!;
      expect(etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);

      const same = await fetch(url, { headers: { range: 'bytes=0-3', 'if-range': etag } });
      expect(same.status).toBe(206);
      await same.arrayBuffer();
      const byDate = await fetch(url, {
        headers: { range: 'bytes=0-3', 'if-range': lastModified },
      });
      expect(byDate.status).toBe(206);
      await byDate.arrayBuffer();

      // Replaced: another modification time gives another ETag and date.
      await utimes(
        join(nginx.root, 'data.bin'),
        new Date(2_000_000_000_000),
        new Date(2_000_000_000_000),
      );
      const replaced = await fetch(url, { headers: { range: 'bytes=0-3', 'if-range': etag } });
      expect(replaced.status).toBe(200);
      expect((await replaced.arrayBuffer()).byteLength).toBe(bytes.length);

      const log = await nginx.waitForAccessLog(4);
      expect(log.map((entry) => entry.status)).toEqual([206, 206, 206, 200]);
      expect(log[0]!.range).toBe('bytes=10-19');
      expect(log[0]!.bodyBytesSent).toBe(10);
      expect(log[0]!.bytesSent).toBeGreaterThan(10);
      expect(log[1]!.ifRange).toBe(etag);
      expect(log[0]!.authorization).toBe(false);
      await nginx.clearAccessLog();
      expect(await nginx.accessLog()).toEqual([]);
      temp = join(nginx.root, '..');
    } finally {
      await nginx.stop();
    }
    expect(() => process.kill(nginx.pid, 0)).toThrow();
    expect(existsSync(temp)).toBe(false);
  });

  it('serves a folder it is given and leaves that folder in place', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const folder = await mkdtemp(join(tmpdir(), 'reprokit-nginx-root-'));
    try {
      await writeFile(join(folder, 'a.txt'), 'hello');
      const nginx = await startNginx({ root: folder });
      try {
        const response = await fetch(`${nginx.url}/a.txt`);
        expect(await response.text()).toBe('hello');
        expect((await fetch(`${nginx.url}/missing`)).status).toBe(404);
      } finally {
        await nginx.stop();
      }
      expect(existsSync(join(folder, 'a.txt'))).toBe(true);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
