import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha512 } from './sha-512.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const _utf8 = (text: string) => new TextEncoder().encode(text);

describe('sha512', () => {
  it('agrees with node:crypto on every length around the block and padding boundaries', () => {
    for (let length = 0; length <= 300; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 131 + length * 7) & 0xff);
      expect(hex(sha512(bytes)), `length ${length}`).toBe(
        createHash('sha512').update(bytes).digest('hex'),
      );
    }
  });
});
