import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NginxServer } from './start-nginx.js';
import { withNginx } from './with-nginx.js';

/** True while a process with this id exists. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('withNginx', () => {
  it('serves the given folder to the body, returns its value, then stops nginx', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'reprokit-with-nginx-'));
    try {
      await writeFile(join(folder, 'a.txt'), 'served');
      let seen: NginxServer | undefined;
      const text = await withNginx({ root: folder }, async (nginx) => {
        seen = nginx;
        expect(isRunning(nginx.pid)).toBe(true);
        return (await fetch(`${nginx.url}/a.txt`)).text();
      });
      expect(text).toBe('served');
      expect(seen?.root).toBe(folder);
      expect(isRunning(seen?.pid ?? -1)).toBe(false);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('stops nginx when the body throws, and passes the error on', async () => {
    let pid = -1;
    const failure = await withNginx({}, async (nginx) => {
      pid = nginx.pid;
      throw new Error('body failed');
    }).catch((error: unknown) => error);
    expect((failure as Error).message).toBe('body failed');
    expect(pid).toBeGreaterThan(0);
    expect(isRunning(pid)).toBe(false);
  });
});
