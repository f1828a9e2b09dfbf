import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { httpSource } from '@reprokit/core';
import { type FaultProxy, startFaultProxy } from '@reprokit/http-test-servers';
import { useNginx } from '@reprokit/http-test-servers/vitest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeByteSource } from './describe-byte-source.js';

// Real servers: Debian's nginx with the repo's config, and the fault proxy in front of it
// with no fault planned.
const nginx = useNginx();
let proxy: FaultProxy;
const warnings: string[] = [];
let files = 0;
let current: string | undefined;

beforeAll(async () => {
  proxy = await startFaultProxy({ upstream: nginx.url });
});
afterAll(async () => {
  await proxy?.stop();
});

const serve = async (bytes: Uint8Array): Promise<string> => {
  current = `file-${files++}.bin`;
  await writeFile(join(nginx.root, current), bytes);
  return current;
};
const remove = async () => {
  if (current !== undefined) await rm(join(nginx.root, current), { force: true });
  current = undefined;
};
const onWarning = (message: string) => warnings.push(message);

describeByteSource('httpSource against nginx', {
  open: async (bytes) => httpSource(`${nginx.url}/${await serve(bytes)}`, { onWarning }),
  dispose: remove,
});

describeByteSource('httpSource through the fault proxy, no faults injected', {
  open: async (bytes) => httpSource(`${proxy.url}/${await serve(bytes)}`, { onWarning }),
  dispose: remove,
});

it('warned about nothing: nginx serves ranges with an ETag', () => {
  expect(warnings).toEqual([]);
  expect(proxy.records.length).toBeGreaterThan(10);
});
