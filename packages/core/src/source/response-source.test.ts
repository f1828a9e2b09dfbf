import { describe, expect, it } from 'vitest';
import { ByteSourceError } from './byte-source-error.js';
import { openByteSource } from './open-byte-source.js';
import { responseSource } from './response-source.js';

async function failure(promise: Promise<unknown>): Promise<ByteSourceError> {
  try {
    await promise;
  } catch (error) {
    if (ByteSourceError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a ByteSourceError');
}

describe('responseSource', () => {
  const bytes = Uint8Array.from({ length: 1000 }, (_, index) => (index * 7) % 256);

  it('reads ranges of the body, and openByteSource takes a Response', async () => {
    const source = await responseSource(new Response(bytes), 'weights.bin');
    expect([source.name, source.size]).toEqual(['weights.bin', 1000]);
    expect([...(await source.read(990, 10))]).toEqual([...bytes.subarray(990)]);
    const opened = await openByteSource(new Response(bytes));
    expect([opened.name, [...(await opened.read(0, 4))]]).toEqual(['<response>', [0, 7, 14, 21]]);
  });

  it('refuses an error status and a body already read, naming the problem', async () => {
    const missing = await failure(responseSource(new Response('no', { status: 404 })));
    expect([missing.code, missing.status]).toEqual(['SOURCE_HTTP_STATUS', 404]);
    expect(missing.message).toContain('status 404');
    const used = new Response(bytes);
    await used.arrayBuffer();
    const again = await failure(responseSource(used));
    expect(again.code).toBe('SOURCE_INVALID');
    expect(again.message).toContain('already read');
  });
});
