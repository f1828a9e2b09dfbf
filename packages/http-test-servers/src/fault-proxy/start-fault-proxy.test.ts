import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NginxServer, startNginx } from '../nginx/start-nginx.js';
import { type FaultProxy, startFaultProxy } from './start-fault-proxy.js';

const bytes = Uint8Array.from({ length: 200_000 }, (_, index) => (index * 7) & 0xff);
let nginx: NginxServer;
let proxy: FaultProxy;

beforeAll(async () => {
  nginx = await startNginx();
  await writeFile(join(nginx.root, 'data.bin'), bytes);
  proxy = await startFaultProxy({ upstream: nginx.url });
});
afterAll(async () => {
  await proxy?.stop();
  await nginx?.stop();
});

const get = (headers: Record<string, string> = {}, path = '/data.bin') =>
  fetch(`${proxy.url}${path}`, { headers, redirect: 'manual' });

describe('startFaultProxy', () => {
  it('forwards unchanged without a fault and records the request', async () => {
    proxy.setPlan(undefined);
    const response = await get({ range: 'bytes=5-9', authorization: 'Bearer x' });
    expect(response.status).toBe(206);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes.subarray(5, 10));
    const record = proxy.records.at(-1)!;
    expect(record.headers.authorization).toBe('Bearer x');
    expect(record.status).toBe(206);
    expect(record.bodyBytes).toBe(5);
  });

  it('injects each fault it names', async () => {
    proxy.setPlan(() => ({ kind: 'ignore-range' }));
    const whole = await get({ range: 'bytes=5-9' });
    expect(whole.status).toBe(200);
    expect((await whole.arrayBuffer()).byteLength).toBe(bytes.length);

    proxy.setPlan(() => ({ kind: 'status', status: 503, headers: { 'retry-after': '7' } }));
    const busy = await get();
    expect([busy.status, busy.headers.get('retry-after')]).toEqual([503, '7']);

    proxy.setPlan(() => ({ kind: 'redirect', location: '/elsewhere', status: 307 }));
    const moved = await get();
    expect([moved.status, moved.headers.get('location')]).toEqual([307, '/elsewhere']);

    proxy.setPlan(() => [
      { kind: 'rewrite-etag', etag: '"other"' },
      { kind: 'truncate', bytes: 3 },
    ]);
    const short = await get({ range: 'bytes=0-99' });
    expect(short.headers.get('etag')).toBe('"other"');
    expect((await short.arrayBuffer()).byteLength).toBe(3);

    proxy.setPlan(() => ({ kind: 'reset', afterBytes: 1000 }));
    const reset = await get();
    await expect(reset.arrayBuffer()).rejects.toThrow();

    proxy.setPlan(() => ({ kind: 'stall' }));
    await expect(
      fetch(`${proxy.url}/data.bin`, { signal: AbortSignal.timeout(200) }),
    ).rejects.toThrow();
    proxy.setPlan(undefined);
  });
});
