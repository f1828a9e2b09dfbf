import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useNginx } from './use-nginx.js';

describe('useNginx', () => {
  const nginx = useNginx();
  // Registered after useNginx: runs once nginx serves, and its afterAll before nginx stops.
  let pidInLaterHook = -1;
  beforeAll(async () => {
    pidInLaterHook = nginx.pid;
    await writeFile(join(nginx.root, 'from-hook.txt'), 'hook');
  });
  afterAll(async () => {
    const response = await fetch(`${nginx.url}/from-hook.txt`);
    expect(await response.text()).toBe('hook');
  });

  it('forwards to the running server: url, port, root, pid and the access log', async () => {
    expect(nginx.url).toBe(`http://127.0.0.1:${nginx.port}`);
    expect(nginx.pid).toBe(pidInLaterHook);
    await nginx.clearAccessLog();
    const response = await fetch(`${nginx.url}/from-hook.txt`);
    expect(await response.text()).toBe('hook');
    const log = await nginx.waitForAccessLog(1);
    expect(log.map((entry) => [entry.uri, entry.status])).toEqual([['/from-hook.txt', 200]]);
    expect(await nginx.accessLog()).toEqual(log);
  });
});

describe('useNginx outside tests and hooks', () => {
  const nginx = useNginx();
  // Read while the file's tests are collected, before any hook ran.
  let collectedUrl: unknown;
  try {
    collectedUrl = nginx.url;
  } catch (error) {
    collectedUrl = error;
  }
  it('the handle throws before nginx started, and forwards once it runs', () => {
    expect(collectedUrl).toBeInstanceOf(Error);
    expect((collectedUrl as Error).message).toContain('nginx is not running');
    expect(nginx.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
